import { type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { ENTITIES } from './entities.js';
import { Migration20261127000000_initial } from './migrations/Migration20261127000000_initial.js';
import { Migration20261128000005_effective_access } from './migrations/Migration20261128000005_effective_access.js';
import { StatementCountingLogger } from './statement-stats.js';

/** Checked-in migrations, listed explicitly so compiled and test builds find the same ones. */
export const MIGRATIONS = [
  { name: 'Migration20261127000000_initial', class: Migration20261127000000_initial },
  { name: 'Migration20261128000005_effective_access', class: Migration20261128000005_effective_access },
];

export interface Database {
  orm: MikroORM;
  kind: 'postgresql' | 'pglite';
  close(): Promise<void>;
}

function baseOptions(): Options<PostgreSqlDriver> {
  return {
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false },
    discovery: { warnWhenNoEntities: true },
    // Counted per request; printed only when MIKRO_ORM_DEBUG is set.
    debug: process.env.MIKRO_ORM_DEBUG ? ['query', 'query-params'] : ['query'],
    loggerFactory: (options) => new StatementCountingLogger({ ...options, writer: process.env.MIKRO_ORM_DEBUG ? options.writer : () => {} }),
    allowGlobalContext: false,
    forceUtcTimezone: true,
    // Entities are plain classes: no lazy relation loading to cause hidden queries.
    strict: true,
  };
}

/** Key of the session lock under which one instance at a time applies migrations. */
const MIGRATION_LOCK = 7_220_410_001;

/**
 * Applies pending migrations while holding a PostgreSQL session lock, so instances starting together
 * against one database do not run the same migration twice.
 */
async function migrateExclusively(orm: MikroORM): Promise<void> {
  const client = orm.em.getKnex().client;
  const connection = await client.acquireConnection();
  try {
    await connection.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await orm.getMigrator().up();
  } finally {
    await connection.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.releaseConnection(connection);
  }
}

/** Opens the database and applies pending migrations. PGlite (embedded PostgreSQL) when no URL is given. */
export async function openDatabase(databaseUrl?: string): Promise<Database> {
  if (databaseUrl) {
    const orm = await MikroORM.init<PostgreSqlDriver>({
      ...baseOptions(),
      driver: PostgreSqlDriver,
      clientUrl: databaseUrl,
      pool: { min: 0, max: 10 },
    });
    await migrateExclusively(orm);
    return { orm, kind: 'postgresql', close: () => orm.close(true) };
  }
  // PGlite imports as ESM; created here so that close() can shut it down.
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = new PGlite();
  await pglite.waitReady;
  const { PGliteDriver } = await import('mikro-orm-pglite');
  const orm = await MikroORM.init<PostgreSqlDriver>({
    ...baseOptions(),
    // Same SQL dialect and entity manager as PostgreSQL; only the connection differs.
    driver: PGliteDriver as never,
    dbName: 'idgraph',
    driverOptions: { connection: { pglite: () => pglite } },
  } as Options<PostgreSqlDriver>);
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
