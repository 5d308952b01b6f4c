import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { signToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/orm.js';
import { startNodeFlags } from './bench/node-flags.js';

/**
 * `npm run bench -- --scaleout` (or `npm run bench:scaleout`): read-heavy effective-users traffic
 * against one and two gateway instances, with reads on the streaming replica versus on the primary
 * only, all writes and primary reads through PgBouncer in transaction mode. Uses the test bed of
 * `.ci/scaleout.sh` (started here if needed). Prints one table: throughput, latency, and where the
 * statements ran (transactions counted on each server). BENCH_SECONDS (default 10) per scenario.
 */
const SCRIPT = resolve(__dirname, '../../.ci/scaleout.sh');
// The ports of .ci/scaleout.sh (PRIMARY_PORT, REPLICA_PORT, BOUNCER_PORT there too).
const PRIMARY = `postgres://postgres@127.0.0.1:${process.env.PRIMARY_PORT ?? 5440}`;
const REPLICA = `postgres://postgres@127.0.0.1:${process.env.REPLICA_PORT ?? 5441}`;
const BOUNCER = `postgres://postgres@127.0.0.1:${process.env.BOUNCER_PORT ?? 6440}`;
const DB = 'idgraph_bench_scaleout';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const USERS_PER_TENANT = Number(process.env.BENCH_USERS_PER_TENANT ?? 250);
const SECRET = 'bench-scaleout-secret-0123456789abcdef0123456789';

async function sql<T = Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Committed transactions on one server's benchmark database (a proxy for "statements that ran there"). */
async function transactions(url: string): Promise<number> {
  const [row] = await sql<{ n: string }>(`${url}/postgres`, `select xact_commit as n from pg_stat_database where datname = '${DB}'`);
  return Number(row?.n ?? 0);
}

async function load(): Promise<string> {
  await sql(`${PRIMARY}/postgres`, `drop database if exists ${DB} with (force)`);
  await sql(`${PRIMARY}/postgres`, `create database ${DB}`);
  const db = await openDatabase(`${PRIMARY}/${DB}`);
  await db.close();
  const started = Date.now();
  await sql(
    `${PRIMARY}/${DB}`,
    `insert into partner (id, name, created_at, updated_at) select gen_random_uuid(), 'Partner ' || i, now(), now() from generate_series(1, 4) i;
     insert into tenant (id, partner_id, name, slug, status, settings, created_at, updated_at)
       select gen_random_uuid(), (select id from partner order by name offset (i % 4) limit 1), 'Tenant ' || i, 'bench-' || i, 'active', '{}', now(), now()
       from generate_series(1, 40) i;
     insert into app_user (id, tenant_id, email, name, status, created_at, updated_at)
       select gen_random_uuid(), t.id, 'user' || g || '@' || t.slug || '.test', 'User ' || g, 'active', now(), now()
       from tenant t, generate_series(1, ${USERS_PER_TENANT}) g;
     insert into application (id, name, description, application_type, scope, redirect_uris, client_id, client_secret_hash, created_at, updated_at)
       values (gen_random_uuid(), 'Hot app', '', 'web', 'GLOBAL', '[]', 'idg_bench_hot', 'scrypt$bench', now(), now());
     insert into app_assignment (id, tenant_id, application_id, user_id, created_at, updated_at)
       select gen_random_uuid(), u.tenant_id, a.id, u.id, now(), now() from app_user u, application a where a.client_id = 'idg_bench_hot' and abs(hashtext(u.email)) % 2 = 0;
     analyze;`,
  );
  const [app] = await sql<{ id: string; n: string }>(
    `${PRIMARY}/${DB}`,
    `select a.id, (select count(*) from app_assignment x where x.application_id = a.id) as n from application a`,
  );
  // The replica must have replayed the load before it serves anything.
  const [{ lsn }] = await sql<{ lsn: string }>(`${PRIMARY}/postgres`, 'select pg_current_wal_insert_lsn()::text as lsn');
  for (let i = 0; i < 600; i++) {
    const [{ ok }] = await sql<{ ok: boolean }>(`${REPLICA}/postgres`, `select pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn as ok`);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`data: 40 tenants, ${40 * USERS_PER_TENANT} users, hot GLOBAL app with ${app.n} direct holders (${Date.now() - started} ms)`);
  return app.id;
}

function startInstance(port: number, replicas: boolean): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...startNodeFlags(resolve(__dirname, '..', '..')), resolve(__dirname, '../src/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      // Primary traffic through PgBouncer (transaction mode); replica reads straight to the replica.
      DATABASE_URL: `${BOUNCER}/${DB}`,
      DATABASE_REPLICA_URLS: replicas ? `${REPLICA}/${DB}` : '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolveStart, reject) => {
    const deadline = Date.now() + 60_000;
    const poll = async () => {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return resolveStart(child);
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline || child.exitCode !== null) return reject(new Error(`instance on ${port} did not start`));
      setTimeout(poll, 200);
    };
    void poll();
  });
}

async function stop(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.map((child) => new Promise((r) => (child.exitCode !== null ? r(null) : (child.once('exit', r), child.kill('SIGTERM'))))));
}

interface Row {
  scenario: string;
  rps: number;
  p50: number;
  p99: number;
  primaryTx: number;
  replicaTx: number;
  readFrom: string;
}

async function scenario(label: string, instances: number, replicas: boolean, path: string, token: string): Promise<Row> {
  const ports = Array.from({ length: instances }, (_, i) => 4700 + i);
  const children = await Promise.all(ports.map((port) => startInstance(port, replicas)));
  try {
    const headers = { authorization: `Bearer ${token}` };
    const probe = await fetch(`http://127.0.0.1:${ports[0]}${path}`, { headers });
    if (!probe.ok) throw new Error(`${label}: ${probe.status} ${await probe.text()}`);
    const readFrom = probe.headers.get('x-idgraph-read-from') ?? 'primary';
    // Warm-up, then the measured run: 16 connections split over the instances.
    await Promise.all(ports.map((port) => autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: 4, duration: 2, headers })));
    const [primaryBefore, replicaBefore] = await Promise.all([transactions(PRIMARY), transactions(REPLICA)]);
    const results = await Promise.all(ports.map((port) => autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: 16 / instances, duration: SECONDS, headers })));
    const [primaryAfter, replicaAfter] = await Promise.all([transactions(PRIMARY), transactions(REPLICA)]);
    const errors = results.reduce((n, r) => n + r.errors + r.non2xx, 0);
    if (errors) throw new Error(`${label}: ${errors} failed requests`);
    return {
      scenario: label,
      rps: results.reduce((n, r) => n + r.requests.average, 0),
      p50: Math.max(...results.map((r) => r.latency.p50)),
      p99: Math.max(...results.map((r) => r.latency.p99)),
      primaryTx: primaryAfter - primaryBefore,
      replicaTx: replicaAfter - replicaBefore,
      readFrom,
    };
  } finally {
    await stop(children);
  }
}

async function main() {
  execFileSync('bash', [SCRIPT, 'start'], { stdio: 'inherit' });
  const applicationId = await load();
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET });
  const token = await signToken(config, { sub: 'bench', role: 'super_admin', scope: 'admin:read' }, 3600);
  const path = `/api/v1/admin/applications/${applicationId}/effective-users?per_page=50`;
  const rows: Row[] = [];
  for (const [label, instances, replicas] of [
    ['1 instance, primary only', 1, false],
    ['1 instance, reads on the replica', 1, true],
    ['2 instances, primary only', 2, false],
    ['2 instances, reads on the replica', 2, true],
  ] as const) {
    rows.push(await scenario(label, instances, replicas, path, token));
    console.error(`done: ${label}`);
  }
  console.log(`\nREST effective users, page 1 (per_page 50), super admin; ${SECONDS} s per scenario, 16 connections in all, primary via PgBouncer`);
  console.log('| scenario | req/s | p50 ms | p99 ms | first read served by | transactions on primary | on replica |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.scenario} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.readFrom} | ${r.primaryTx} | ${r.replicaTx} |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
