import { createHash } from 'node:crypto';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/**
 * Named prepared statements for the hot reads of fixed shape (effective-user pages and counts, list
 * pages, the token's liveness checks). MikroORM sends every statement as text with its values inlined, so
 * PostgreSQL parses and plans it on every request; for the effective-users page that planning costs
 * more server CPU than running it. A named statement is parsed once per connection, and after a few
 * runs PostgreSQL may keep a generic plan. On by default with PostgreSQL; the embedded database never
 * uses it. Behind a pooler that moves sessions between server connections (PgBouncer in transaction
 * mode before 1.21) a statement prepared on one server connection is unknown on the next: the first
 * such answer turns named statements off for the database and the read is run again unnamed (these
 * are reads outside transactions, so running one again is safe). DATABASE_PREPARED_STATEMENTS=false
 * turns them off from the start. A statement whose result columns a migration changed is run again
 * unnamed too, and every statement is prepared afresh under a new name.
 */

/** Statements one pooled connection keeps prepared at most; beyond that, new shapes run unnamed (bounded server memory). */
export const MAX_PREPARED_PER_CONNECTION = 100;
const NAME_PREFIX = 'idgraph_';

/** Databases (by their MikroORM configuration) where a pooler refused a named statement. */
const refusedBy = new WeakSet<object>();

/** Whether this database prepares statements: set by openDatabase in the knex options of the PostgreSQL connections. */
export function preparesStatements(em: EntityManager): boolean {
  return em.config.get<'driverOptions', { preparedStatements?: boolean } | undefined>('driverOptions')?.preparedStatements === true && !refusedBy.has(em.config);
}

/** The server did not know a statement this connection prepared (26000), or knew another one of its name (42P05): a pooler in between. */
const isPoolerRefusal = (error: unknown): boolean => ['26000', '42P05'].includes((error as { code?: unknown } | null)?.code as string);

/**
 * A prepared statement whose result columns changed under it (`select t.*` after a migration added a
 * column, e.g. while an older instance still runs during a rolling deploy): PostgreSQL refuses to run it.
 */
const isStalePlan = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === '0A000' && /cached plan must not change result type/.test(String((error as Error).message));

/** Part of every name: a new generation after a stale plan gives every statement a new name, prepared afresh on each connection. */
let generation = 0;
const names = new Map<string, string>();
/** A name per statement text (texts come from a bounded set of shapes; the map is cleared if that ever stops holding). */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    if (names.size >= 1000) names.clear();
    name = NAME_PREFIX + createHash('sha1').update(`${generation}\u0000${sql}`).digest('hex').slice(0, 24);
    names.set(sql, name);
  }
  return name;
}

/**
 * Runs `query` as a named prepared statement through `knex` (the primary's, or with `replica` that
 * replica's), outside any transaction, counted and logged like MikroORM's own statements, its errors
 * converted the same way.
 */
export async function preparedRows<T>(em: EntityManager, knex: Knex, query: Knex.QueryBuilder | Knex.Raw, replica?: string): Promise<T> {
  const { sql, bindings } = query.toSQL().toNative();
  const started = Date.now();
  const log = (level: 'info' | 'error') =>
    em.config.getLogger().logQuery({ query: sql, took: Date.now() - started, level, connection: replica ? { type: 'read', name: replica } : { type: 'write' } });
  const run = (name: string | undefined) => runOnPooledConnection<T>(knex, { sql, bindings, options: { name }, method: 'raw' });
  try {
    let result: T;
    try {
      result = await run(refusedBy.has(em.config) ? undefined : statementName(sql));
    } catch (error) {
      if (isPoolerRefusal(error)) refusedBy.add(em.config);
      else if (isStalePlan(error)) {
        generation += 1;
        names.clear();
      } else throw error;
      // A read outside any transaction: running it again, unnamed, is safe.
      result = await run(undefined);
    }
    log('info');
    return result;
  } catch (error) {
    log('error');
    throw em.getDriver().convertException(error as Error);
  }
}

/** A statement as knex's dialects take it: SQL with `$n` placeholders; `options.name` makes it a named prepared statement. */
interface DialectQuery {
  sql: string;
  bindings: readonly unknown[];
  options?: { name?: string };
  method: string;
}

/** The dialect method every statement goes through (knex's typings declare no `_query` on the dialects; see src/db/driver-errors.ts). */
interface KnexDialect {
  _query(connection: unknown, obj: DialectQuery): Promise<{ response: { rows: unknown } }>;
}

/** knex's client is its dialect's instance: the pool, and `_query` with our overrides. */
interface KnexClient extends KnexDialect {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<void>;
}

/**
 * Runs one statement on a connection of knex's pool, straight through the dialect's `_query` (with the
 * overrides below and in src/db/driver-errors.ts), as knex's runner does for `knex.raw`, minus the
 * builder and runner around it: 50 µs of CPU a statement of 130 (measured on a one-row lookup; the
 * hot reads run one or two such statements per request). Errors and the pool's timeouts are knex's own.
 */
async function runOnPooledConnection<T>(knex: Knex, query: DialectQuery): Promise<T> {
  const client = (knex as unknown as { client: KnexClient }).client;
  const connection = await client.acquireConnection();
  try {
    return (await client._query(connection, query)).response.rows as T;
  } finally {
    await client.releaseConnection(connection);
  }
}

/** A read on the primary outside the replica route: as a named prepared statement when `prepared`, else through MikroORM. */
export function primaryRows<T>(em: EntityManager, query: Knex.QueryBuilder | Knex.Raw, prepared: boolean): Promise<T> {
  return prepared ? preparedRows<T>(em, em.getConnection('write').getKnex(), query) : (em.execute(query as Knex.QueryBuilder) as Promise<T>);
}

/** The pg connection's record of what it prepared (node-postgres keeps it per connection, by name). */
interface PgConnection {
  connection?: { parsedStatements?: Record<string, string> };
}

/**
 * The dialect, bounding what each connection keeps prepared: a statement whose connection already holds
 * MAX_PREPARED_PER_CONNECTION of ours, and not this one, runs unnamed like any other. Here because the
 * dialect is the one place that sees both the statement and the connection it goes to.
 */
export function boundingPreparedStatements(Dialect: new (config: Knex.Config) => object): new (config: Knex.Config) => object {
  // knex's typings declare no _query on the dialects (see src/db/driver-errors.ts).
  const Base = Dialect as new (config: Knex.Config) => KnexDialect;
  class BoundingDialect extends Base {
    override _query(connection: unknown, obj: DialectQuery): Promise<{ response: { rows: unknown } }> {
      const name = obj.options?.name;
      const prepared = (connection as PgConnection).connection?.parsedStatements;
      if (name && prepared && !(name in prepared) && preparedCount(prepared) >= MAX_PREPARED_PER_CONNECTION) obj.options = { ...obj.options, name: undefined };
      return super._query(connection, obj);
    }
  }
  return BoundingDialect;
}

function preparedCount(prepared: Record<string, string>): number {
  let count = 0;
  for (const key in prepared) if (key.startsWith(NAME_PREFIX)) count++;
  return count;
}
