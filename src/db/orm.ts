import { type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, PostgreSqlDriver, PostgreSqlKnexDialect, type Knex } from '@mikro-orm/postgresql';
import { codingDriverErrors } from './driver-errors.js';
import { boundingPreparedStatements } from './prepared.js';
import { tracingOn } from '../tracing.js';
import { ENTITIES } from './entities.js';
import { Migration20261127000000_initial } from './migrations/Migration20261127000000_initial.js';
import { ReplicaSet, type ReplicaOptions } from './replicas.js';
import { traceStatements } from './sql-spans.js';
import { Migration20261128120000_idempotency_keys } from './migrations/Migration20261128120000_idempotency_keys.js';
import { Migration20261128000005_effective_access } from './migrations/Migration20261128000005_effective_access.js';
import { Migration20261128130000_application_secrets } from './migrations/Migration20261128130000_application_secrets.js';
import { Migration20261128200000_access_changes } from './migrations/Migration20261128200000_access_changes.js';
import { Migration20261128210000_effective_access_version } from './migrations/Migration20261128210000_effective_access_version.js';
import { Migration20261206000000_application_name_idx } from './migrations/Migration20261206000000_application_name_idx.js';
import { StatementCountingLogger } from './statement-stats.js';

/** Checked-in migrations, listed explicitly so compiled and test builds find the same ones. */
export const MIGRATIONS = [
  { name: 'Migration20261127000000_initial', class: Migration20261127000000_initial },
  { name: 'Migration20261128000005_effective_access', class: Migration20261128000005_effective_access },
  { name: 'Migration20261128120000_idempotency_keys', class: Migration20261128120000_idempotency_keys },
  { name: 'Migration20261128130000_application_secrets', class: Migration20261128130000_application_secrets },
  { name: 'Migration20261128200000_access_changes', class: Migration20261128200000_access_changes },
  { name: 'Migration20261128210000_effective_access_version', class: Migration20261128210000_effective_access_version },
  { name: 'Migration20261206000000_application_name_idx', class: Migration20261206000000_application_name_idx },
];

export interface Database {
  orm: MikroORM;
  kind: 'postgresql' | 'pglite';
  /** Read replicas (PostgreSQL with DATABASE_REPLICA_URLS only). */
  replicas?: ReplicaSet;
  close(): Promise<void>;
}

export interface ReplicaSettings extends ReplicaOptions {
  urls: string[];
}

function baseOptions(): Options<PostgreSqlDriver> {
  return {
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false },
    discovery: { warnWhenNoEntities: true },
    // Counted per request; printed only when MIKRO_ORM_DEBUG is set.
    debug: process.env.MIKRO_ORM_DEBUG ? ['query', 'query-params'] : ['query'],
    loggerFactory: (options) => {
      const print = Boolean(process.env.MIKRO_ORM_DEBUG);
      return new StatementCountingLogger({ ...options, writer: print ? options.writer : () => {} }, print);
    },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    // Entities are plain classes: no lazy relation loading to cause hidden queries.
    strict: true,
  };
}

/** Key of the transaction-level lock under which one instance at a time applies migrations. */
const MIGRATION_LOCK = 7_220_410_001;

/**
 * Applies pending migrations in one transaction that first takes a transaction-level advisory lock,
 * so instances starting together against one database do not run the same migration twice. A
 * transaction lock (not a session lock) holds behind PgBouncer in transaction mode too: it is
 * released with the transaction, on the server connection that took it.
 */
async function migrateExclusively(orm: MikroORM): Promise<void> {
  await orm.em.fork().transactional(async (em) => {
    await em.execute('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    await orm.getMigrator().up({ transaction: em.getTransactionContext<Knex.Transaction>() });
  });
}

/** Bounds on waiting for PostgreSQL (config: DATABASE_ACQUIRE_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS). */
export interface DatabaseTimeouts {
  /** Longest wait for a pooled connection, a new connection's handshake included. */
  acquireTimeoutMs: number;
  /** Longest a statement may run (server-side statement_timeout); 0 turns it off. */
  statementTimeoutMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { acquireTimeoutMs: 5000, statementTimeoutMs: 10000 };

/** A server that stops answering altogether never sends the statement_timeout error: the client gives up this much later. */
const CLIENT_READ_MARGIN_MS = 1000;

interface PgConnectionState {
  readyForQuery?: boolean;
  __knex__disposed?: unknown;
}

/**
 * Knex options that bound every wait on PostgreSQL. statement_timeout goes in the connection's startup
 * parameters (no per-session SET, which PgBouncer's transaction mode would not keep).
 */
function connectionOptions(timeouts: DatabaseTimeouts, preparedStatements: boolean) {
  return {
    // knex's `client` option takes a dialect class: this one codes the driver's codeless "no answer" errors
    // and bounds the prepared statements per connection.
    client: boundingPreparedStatements(codingDriverErrors(PostgreSqlKnexDialect)),
    // Read by src/db/prepared.ts (knex ignores it).
    preparedStatements,
    acquireConnectionTimeout: timeouts.acquireTimeoutMs,
    connection: {
      connectionTimeoutMillis: timeouts.acquireTimeoutMs,
      ...(timeouts.statementTimeoutMs > 0 ? { statement_timeout: timeouts.statementTimeoutMs, query_timeout: timeouts.statementTimeoutMs + CLIENT_READ_MARGIN_MS } : {}),
    },
  };
}

/**
 * The pool; `validate` drops a connection that broke or whose last statement timed out on the client
 * side (it still waits for an answer that may never come) instead of handing it to the next request.
 */
const POOL = {
  min: 0,
  max: 10,
  validate: (connection: PgConnectionState) => !connection.__knex__disposed && connection.readyForQuery !== false,
};

export interface OpenDatabaseOptions {
  /** PostgreSQL only: bounds on waiting for the server. */
  timeouts?: DatabaseTimeouts;
  /** PostgreSQL only: run the hot fixed-shape reads as named prepared statements (src/db/prepared.ts). Off unless set. */
  preparedStatements?: boolean;
  /** PostgreSQL only: streaming replicas to read from. */
  replicas?: ReplicaSettings;
  /** PGlite only: the data directory that keeps the embedded database across restarts (in memory without). */
  pgliteDir?: string;
}

/** Opens the database and applies pending migrations. PGlite (embedded PostgreSQL) when no URL is given. */
export async function openDatabase(databaseUrl?: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const { timeouts = DEFAULT_DATABASE_TIMEOUTS, preparedStatements = false, replicas: replicaSettings, pgliteDir } = options;
  if (databaseUrl) {
    const replicaUrls = replicaSettings?.urls ?? [];
    const postgres = { ...baseOptions(), driver: PostgreSqlDriver, clientUrl: databaseUrl, pool: POOL };
    // Migrations may run longer than a request's statement_timeout: they run on an ORM of their own,
    // without it. (Not orm.reconnect() with new options: MikroORM's close() drops the replica
    // connections' URLs, and they would reconnect to the primary.)
    const migrating = await MikroORM.init<PostgreSqlDriver>({
      ...postgres,
      driverOptions: { acquireConnectionTimeout: timeouts.acquireTimeoutMs, connection: { connectionTimeoutMillis: timeouts.acquireTimeoutMs } },
    });
    try {
      await migrateExclusively(migrating);
    } finally {
      await migrating.close(true);
    }
    const orm = await MikroORM.init<PostgreSqlDriver>({
      ...postgres,
      driverOptions: connectionOptions(timeouts, preparedStatements),
      replicas: replicaUrls.map((clientUrl, i) => ({ name: `replica-${i + 1}`, clientUrl })),
      // The ORM's own finds stay on the primary; reads go to replicas only through ReadRoute (src/db/replicas.ts),
      // which knows each replica's replay position.
      preferReadReplicas: false,
    });
    const replicas = replicaUrls.length && replicaSettings ? new ReplicaSet(orm, replicaSettings) : undefined;
    await replicas?.start();
    return {
      orm,
      kind: 'postgresql',
      replicas,
      close: async () => {
        replicas?.stop();
        await orm.close(true);
      },
    };
  }
  // Loaded only for the embedded database, from their CommonJS builds: under jest, a dynamic
  // import() creates vm modules that Node 20 never frees, and the import's promise keeps the running
  // test (and through it the test file's gateway and PGlite heap) alive until the worker exits.
  /* eslint-disable @typescript-eslint/no-require-imports -- the CommonJS builds, for the reason above */
  const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  const { PGliteDriver, PGliteKnexDialect } = require('mikro-orm-pglite') as typeof import('mikro-orm-pglite');
  /* eslint-enable @typescript-eslint/no-require-imports */
  // Created here so that close() can shut it down.
  const pglite = new PGlite(pgliteDir);
  await pglite.waitReady;
  if (tracingOn()) traceStatements(pglite);
  const orm = await MikroORM.init<PostgreSqlDriver>({
    ...baseOptions(),
    // Same SQL dialect and entity manager as PostgreSQL; only the connection differs.
    driver: PGliteDriver as never,
    dbName: 'idgraph',
    driverOptions: { client: codingDriverErrors(PGliteKnexDialect), connection: { pglite: () => pglite } },
  });
  await orm.getMigrator().up();
  return {
    orm,
    kind: 'pglite',
    close: async () => {
      await orm.close(true);
      if (!pglite.closed) await pglite.close();
    },
  };
}
