import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Client } from 'pg';
import supertest from 'supertest';
import { signToken } from '../../src/auth/tokens.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/orm.js';
import { createLogger } from '../../src/http/logger.js';
import { createGateway, type Gateway } from '../../src/http/server.js';

/**
 * Read replicas for real (issue 14): a PostgreSQL primary with a streaming replica made by
 * `pg_basebackup -R`, both started by `.ci/scaleout.sh` (CI runs this file through `npm run
 * test:scaleout`). With replay paused, a write followed by a read that carries the consistency header
 * returns the new data from the primary, and a read without it is served (stale) by the replica; with
 * the replica stopped, reads still succeed from the primary and /readyz reports it down; back up,
 * reads return to the replica.
 */
const PRIMARY = process.env.SCALEOUT_PRIMARY_URL ?? 'postgres://postgres@127.0.0.1:5440/postgres';
const REPLICA = process.env.SCALEOUT_REPLICA_URL ?? 'postgres://postgres@127.0.0.1:5441/postgres';
const SCRIPT = resolve(__dirname, '../../.ci/scaleout.sh');

const withDb = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

async function query<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('read replicas with read-your-writes', () => {
  const name = `idgraph_replica_${randomBytes(5).toString('hex')}`;
  let db: Database;
  let gateway: Gateway;
  let config: Config;
  let http: supertest.Agent;
  let token: string;

  beforeAll(async () => {
    await query(PRIMARY, `create database ${name}`);
    // The replica replays the CREATE DATABASE; wait until it can be opened there.
    await eventually(async () => (await query(withDb(REPLICA, name), 'select 1 as ok'))[0].ok === 1, 'the database on the replica');
    config = loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: 'test-secret-for-idgraph-tests-0123456789',
      SEED_DEMO_DATA: '0',
      DATABASE_URL: withDb(PRIMARY, name),
      DATABASE_REPLICA_URLS: withDb(REPLICA, name),
      // Lag tolerated without a header: long enough that a paused replica still serves such reads.
      REPLICA_MAX_LAG_MS: '600000',
      REPLICA_PROBE_INTERVAL_MS: '100',
    });
    db = await openDatabase(config.databaseUrl, {
      timeouts: config.database,
      preparedStatements: config.database.preparedStatements,
      replicas: { urls: config.databaseReplicaUrls, maxLagMs: config.replicaMaxLagMs, probeIntervalMs: config.replicaProbeIntervalMs },
    });
    gateway = await createGateway(db, config, createLogger(config));
    http = supertest.agent(gateway.listener);
    token = await signToken(config, { sub: 'su', role: 'super_admin', scope: 'admin:read admin:write' }, 3600);
    // Migrations were written on the primary: wait until the replica has them too.
    await eventually(
      async () => (await http.get('/api/v1/admin/tenants/').set('authorization', `Bearer ${token}`)).headers['x-idgraph-read-from'] === 'replica-1',
      'reads on the replica',
    );
  }, 60_000);

  afterAll(async () => {
    await query(REPLICA, 'select pg_wal_replay_resume()').catch(() => undefined);
    await gateway?.stop();
    await db?.close();
    await query(PRIMARY, `drop database if exists ${name} with (force)`);
  });

  const tenantNames = (body: { data: { name: string }[] }) => body.data.map((t) => t.name);
  const listTenants = (consistency?: string) => {
    const request = http.get('/api/v1/admin/tenants/?per_page=100').set('authorization', `Bearer ${token}`);
    return (consistency ? request.set('x-idgraph-consistency', consistency) : request).expect(200);
  };

  it('with replay paused: the consistency header reads the new row from the primary, no header reads the replica', async () => {
    await query(withDb(REPLICA, name), 'select pg_wal_replay_pause()');
    // A pause is requested, then takes effect: write only once nothing more is replayed.
    await eventually(async () => (await query(withDb(REPLICA, name), 'select pg_get_wal_replay_pause_state() as s'))[0].s === 'paused', 'replay to pause');
    try {
      const created = await http.post('/api/v1/admin/tenants/').set('authorization', `Bearer ${token}`).send({ name: 'Written while paused' }).expect(201);
      const lsn = created.headers['x-idgraph-consistency'];
      expect(lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);

      const fresh = await listTenants(lsn);
      expect(fresh.headers['x-idgraph-read-from']).toBe('primary');
      expect(tenantNames(fresh.body)).toContain('Written while paused');

      const stale = await listTenants();
      expect(stale.headers['x-idgraph-read-from']).toBe('replica-1');
      expect(tenantNames(stale.body)).not.toContain('Written while paused');

      // GraphQL mutations return the position in extensions as well.
      const gql = await http
        .post('/graphql')
        .set('authorization', `Bearer ${token}`)
        .send({ query: 'mutation { createTenant(input: { name: "Via GraphQL" }) { id } }' })
        .expect(200);
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.extensions.consistency).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      expect(gql.headers['x-idgraph-consistency']).toBe(gql.body.extensions.consistency);
    } finally {
      await query(withDb(REPLICA, name), 'select pg_wal_replay_resume()');
    }
  });

  it('once the replica has replayed past the header, reads with it go to the replica', async () => {
    const created = await http.post('/api/v1/admin/tenants/').set('authorization', `Bearer ${token}`).send({ name: 'After resume' }).expect(201);
    const lsn = created.headers['x-idgraph-consistency'];
    await eventually(async () => (await listTenants(lsn)).headers['x-idgraph-read-from'] === 'replica-1', 'the replica to catch up');
    const read = await listTenants(lsn);
    expect(tenantNames(read.body)).toEqual(expect.arrayContaining(['Written while paused', 'After resume']));
    const metrics = await http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/idgraph_replica_reads_total\{replica="replica-1"\} [1-9]/);
    expect(metrics.text).toMatch(/idgraph_replica_lag_bytes\{replica="replica-1"\} \d+/);
  });

  it('a stopped replica: reads succeed from the primary and /readyz reports it down; back up, reads return to it', async () => {
    execFileSync('bash', [SCRIPT, 'stop-replica'], { stdio: 'inherit' });
    try {
      const read = await listTenants();
      expect(read.headers['x-idgraph-read-from']).toBe('primary');
      expect(tenantNames(read.body)).toContain('After resume');
      await eventually(async () => (await http.get('/readyz')).body.replicas?.[0]?.status === 'down', '/readyz to report the replica down');
      const ready = await http.get('/readyz').expect(200);
      expect(ready.body).toMatchObject({ status: 'ready', replicas: [{ name: 'replica-1', status: 'down' }] });
      expect(JSON.stringify(ready.body)).not.toMatch(/127\.0\.0\.1|5441|postgres:/);
      // Still answered while it is down.
      expect((await listTenants()).headers['x-idgraph-read-from']).toBe('primary');
    } finally {
      execFileSync('bash', [SCRIPT, 'start-replica'], { stdio: 'inherit' });
    }
    await eventually(async () => (await listTenants()).headers['x-idgraph-read-from'] === 'replica-1', 'reads back on the replica', 30_000);
    expect((await http.get('/readyz').expect(200)).body.replicas[0].status).toBe('up');
  }, 60_000);
});
