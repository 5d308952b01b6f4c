import type { Knex } from '@mikro-orm/postgresql';
import { boundingPreparedStatements, MAX_PREPARED_PER_CONNECTION } from '../src/db/prepared.js';
import { loadConfig } from '../src/config.js';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from './support/harness.js';
import { createTenant, groupAccessWorld, type GroupAccessWorld } from './support/world.js';

interface PooledClient {
  query(text: string): Promise<{ rows: { name: string }[] }>;
}
interface KnexClient {
  pool: { numFree(): number };
  acquireConnection(): Promise<PooledClient>;
  releaseConnection(connection: PooledClient): Promise<unknown>;
}

/** Runs `sql` on each idle pooled connection of the gateway (pg_prepared_statements and DEALLOCATE are per session). */
async function onPool(gw: TestGateway, sql: string): Promise<string[][]> {
  const client = gw.db.orm.em.getConnection().getKnex().client as unknown as KnexClient;
  const connections: PooledClient[] = [];
  for (let free = client.pool.numFree(); free > 0; free--) connections.push(await client.acquireConnection());
  try {
    return await Promise.all(connections.map(async (c) => ((await c.query(sql)).rows ?? []).map((r) => r.name)));
  } finally {
    await Promise.all(connections.map((c) => client.releaseConnection(c)));
  }
}

/** The statements of ours the gateway's idle pooled connections keep prepared. */
const preparedOnPool = (gw: TestGateway) => onPool(gw, `select name from pg_prepared_statements where name like 'idgraph\\_%' order by name`);

/** The hot reads, twice each (the second run binds into what the first prepared): REST effective-users pages, a GraphQL count, a tenant list; ids masked. */
async function hotReads(gw: TestGateway, world: GroupAccessWorld): Promise<unknown[]> {
  const answers: unknown[] = [];
  for (let round = 0; round < 2; round++) {
    for (const token of [world.superToken, world.tenantAdminToken]) {
      const res = await gw.http.get(`/api/v1/admin/applications/${world.app}/effective-users?per_page=2`).set('authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      answers.push({ data: res.body.data, pagination: res.body.pagination });
    }
    answers.push((await gw.gql(`{ application(id: "${world.app}") { effectiveUserCount } }`, {}, world.superToken)).data);
    answers.push((await gw.gql('{ tenants(perPage: 5) { pagination { totalItems } items { name } } }', {}, world.superToken)).data);
  }
  return answers.map((answer) => JSON.parse(JSON.stringify(answer).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'id')));
}

describe('named prepared statements for the hot reads (PostgreSQL)', () => {
  if (!process.env.DATABASE_URL) throw new Error('prepared-statements.pg.test.ts needs DATABASE_URL (a PostgreSQL server)');

  // Behind PgBouncer in transaction mode .ci/run sets DATABASE_PREPARED_STATEMENTS=false: there both gateways must run unnamed.
  const allowed = process.env.DATABASE_PREPARED_STATEMENTS !== 'false';

  it(`effective-user reads and token checks run as named statements${allowed ? '' : ' (not in this run: turned off)'}, and answer as unnamed ones do with DATABASE_PREPARED_STATEMENTS=false`, async () => {
    const prepared = await startTestGateway({ DATABASE_PREPARED_STATEMENTS: String(allowed) });
    const unnamed = await startTestGateway({ DATABASE_PREPARED_STATEMENTS: 'false' });
    try {
      const withNames = await hotReads(prepared, await groupAccessWorld(prepared, 'Prepared'));
      const withoutNames = await hotReads(unnamed, await groupAccessWorld(unnamed, 'Prepared'));
      expect(withNames).toEqual(withoutNames);
      expect(withNames[0]).toMatchObject({ pagination: { total_items: 3, per_page: 2 } });
      if (allowed) expect((await preparedOnPool(prepared)).flat().length).toBeGreaterThanOrEqual(2);
      else expect((await preparedOnPool(prepared)).flat()).toEqual([]);
      expect((await preparedOnPool(unnamed)).flat()).toEqual([]);
    } finally {
      await prepared.close();
      await unnamed.close();
    }
  });

  it('a server that no longer knows a prepared statement (as behind a pooler): the read runs again unnamed, and later reads stay unnamed', async () => {
    const gw = await startTestGateway({ DATABASE_PREPARED_STATEMENTS: String(allowed) });
    try {
      const world = await groupAccessWorld(gw, 'Prepared');
      const before = await hotReads(gw, world);
      expect((await preparedOnPool(gw)).flat().length).toBeGreaterThanOrEqual(allowed ? 2 : 0);
      // What a pooler does: the next statement lands on a server connection that never prepared it.
      await onPool(gw, 'deallocate all');
      expect(await hotReads(gw, world)).toEqual(before);
      expect((await preparedOnPool(gw)).flat()).toEqual([]);
    } finally {
      await gw.close();
    }
  });

  it('a migration that adds a column under a prepared `select t.*` (a rolling deploy): lists still answer, before and after it is dropped', async () => {
    const gw = await startTestGateway({ DATABASE_PREPARED_STATEMENTS: String(allowed) });
    try {
      const su = await gw.superToken();
      await createTenant(gw, su, 'Migrated');
      const list = async () => {
        const res = await gw.http.get('/api/v1/admin/tenants/').set('authorization', `Bearer ${su}`);
        expect(res.status).toBe(200);
        return res.body.data.map((t: { name: string }) => t.name);
      };
      const before = [await list(), await list()];
      const alter = (sql: string) => gw.db.orm.em.fork().getConnection().execute(sql);
      await alter('alter table tenant add column migrated_later integer');
      expect([await list(), await list()]).toEqual(before);
      await alter('alter table tenant drop column migrated_later');
      expect([await list(), await list()]).toEqual(before);
    } finally {
      await gw.close();
    }
  });

  it('is on unless turned off, and the setting must be a boolean', async () => {
    const gw = await startTestGateway();
    try {
      expect(gw.config.database.preparedStatements).toBe(allowed);
    } finally {
      await gw.close();
    }
    expect(() => loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, DATABASE_PREPARED_STATEMENTS: 'sometimes' })).toThrow(/DATABASE_PREPARED_STATEMENTS/);
  });

  it(`a connection keeps at most ${MAX_PREPARED_PER_CONNECTION} of them: further shapes run unnamed`, async () => {
    const sent: (string | undefined)[] = [];
    class Recording {
      constructor(_config: Knex.Config) {}
      _query(_connection: unknown, obj: { options?: { name?: string } }): Promise<unknown> {
        sent.push(obj.options?.name);
        return Promise.resolve(obj);
      }
    }
    const Dialect = boundingPreparedStatements(Recording) as unknown as new (config: Knex.Config) => Recording;
    const dialect = new Dialect({});
    const full = { connection: { parsedStatements: Object.fromEntries(Array.from({ length: MAX_PREPARED_PER_CONNECTION }, (_, i) => [`idgraph_${i}`, 'select 1'])) } };
    const roomy = { connection: { parsedStatements: { idgraph_0: 'select 1', other: 'select 2' } } };
    await dialect._query(full, { options: { name: 'idgraph_new' } });
    await dialect._query(full, { options: { name: 'idgraph_7' } });
    await dialect._query(roomy, { options: { name: 'idgraph_new' } });
    await dialect._query(roomy, {});
    expect(sent).toEqual([undefined, 'idgraph_7', 'idgraph_new', undefined]);
  });
});
