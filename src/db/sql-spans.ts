import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

interface Queryable {
  query(sql: string, params?: unknown[], options?: unknown): Promise<unknown>;
  exec(sql: string, options?: unknown): Promise<unknown>;
}

/**
 * A client span per statement sent to the embedded PGlite database, as the pg instrumentation makes
 * for PostgreSQL (which PGlite does not go through), within a traced request only. Installed only
 * while tracing is on.
 */
export function traceStatements(pglite: Queryable): void {
  const tracer = trace.getTracer('idgraph.pglite');
  for (const method of ['query', 'exec'] as const) {
    const original = pglite[method].bind(pglite) as (...args: unknown[]) => Promise<unknown>;
    const traced = (sql: string, ...rest: unknown[]) =>
      tracer.startActiveSpan(
        `pglite.${method}`,
        { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.system.name': 'postgresql', 'db.query.text': sql } },
        async (span) => {
          try {
            return await original(sql, ...rest);
          } catch (error) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
            throw error;
          } finally {
            span.end();
          }
        },
      );
    // Statements outside a request (migrations, demo data at start) would each be a trace of their own.
    (pglite as unknown as Record<string, unknown>)[method] = (sql: string, ...rest: unknown[]) => (trace.getActiveSpan() ? traced(sql, ...rest) : original(sql, ...rest));
  }
}
