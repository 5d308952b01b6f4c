import { AsyncLocalStorage } from 'node:async_hooks';
import { DefaultLogger, type LogContext, type LoggerOptions } from '@mikro-orm/core';

/** SQL statements issued while serving one request (for the N+1 tests, metrics and the debug extension). */
export interface StatementStats {
  statements: number;
}

export const statementStatsStorage = new AsyncLocalStorage<StatementStats>();

/**
 * Counts every statement MikroORM sends into the stats of the request it belongs to. Prints them only
 * with `print` (MIKRO_ORM_DEBUG): formatting a statement for a writer that drops it costs CPU on every one.
 */
export class StatementCountingLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly print: boolean,
  ) {
    super(options);
  }

  override logQuery(context: LogContext): void {
    const stats = statementStatsStorage.getStore();
    if (stats && context.level !== 'error') stats.statements += 1;
    if (this.print) super.logQuery(context as LogContext & { query: string });
  }
}
