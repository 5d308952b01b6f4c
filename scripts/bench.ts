import 'reflect-metadata';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { signToken } from '../src/auth/tokens.js';
import type { Config } from '../src/config.js';
import { openDatabase } from '../src/db/orm.js';
import { APPLICATIONS_QUERY, TYPENAME_QUERY } from './bench/baseline.js';
import { benchId, dataStatements, EFFECTIVE_ACCESS_SNAPSHOT, SIZES, type SizeName } from './bench/data.js';
import { startNodeFlags } from './bench/node-flags.js';
import { indexSize, measureWrites, type WriteFigure } from './bench/writes.js';

/**
 * `npm run bench -- --size S|L`: loads a generated data set into the database of DATABASE_URL (dropped
 * and re-created: its name must contain "bench"), starts the built gateway as in production and a
 * plain pg + node:http baseline (scripts/bench/baseline.ts), checks that both answer the same JSON,
 * loads each with autocannon and prints one table. Not a test: figures depend on the machine.
 *
 * Flags (env in brackets): --size XS|S|L [BENCH_SIZE], --repeat N, --duration s [BENCH_DURATION],
 * --warmup s [BENCH_WARMUP], --connections n, --single s (single-client run) [BENCH_SINGLE],
 * --only text (scenarios whose name contains it), --reuse (keep the loaded database; VACUUM ANALYZE first),
 * --gateway dir (built gateway, default dist), --compare dir (a second build, e.g. of main, measured
 * in the same run), --profile (gateway under `node --cpu-prof`, profiles in .bench/prof), --writes N (times each
 * write of scripts/bench/writes.ts is measured through the first gateway after the load runs; default 11; 0 skips),
 * --write-warmup N (unrecorded rounds of those writes first, the first of them reported as the cold run; default 10).
 * `npm run bench:quick` is the older in-process latency bench.
 */
const { values: flags } = parseArgs({
  options: {
    size: { type: 'string', default: process.env.BENCH_SIZE ?? 'S' },
    repeat: { type: 'string', default: '1' },
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '15' },
    warmup: { type: 'string', default: process.env.BENCH_WARMUP ?? '3' },
    connections: { type: 'string', default: '16' },
    single: { type: 'string', default: process.env.BENCH_SINGLE ?? '5' },
    only: { type: 'string' },
    reuse: { type: 'boolean', default: false },
    gateway: { type: 'string', default: 'dist' },
    compare: { type: 'string' },
    profile: { type: 'boolean', default: false },
    writes: { type: 'string', default: '11' },
    'write-warmup': { type: 'string', default: '10' },
  },
});

const ROOT = resolve(__dirname, '..', '..');
const JWT_SECRET = 'bench-secret-0123456789abcdef-0123456789abcdef';
const sizeName = flags.size as SizeName;
const size = SIZES[sizeName];
if (!size) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
const seconds = (value: string) => Math.max(1, Number(value));

interface Server {
  label: string;
  base: string;
  child: ChildProcess;
}

interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  token: string;
  body?: string;
}

interface Figures {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  failures: number;
}

function databaseUrls(): { target: string; admin: string; name: string } {
  const raw = process.env.DATABASE_URL;
  if (!raw) throw new Error('DATABASE_URL is required, e.g. postgres://postgres@127.0.0.1:5432/idgraph_bench (it is dropped and re-created)');
  const url = new URL(raw);
  const name = url.pathname.slice(1);
  if (!name.includes('bench')) throw new Error(`refusing to drop database "${name}": its name must contain "bench"`);
  const admin = new URL(raw);
  admin.pathname = '/postgres';
  return { target: raw, admin: admin.toString(), name };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function prepareDatabase(): Promise<string[]> {
  const notes: string[] = [];
  const { target, admin, name } = databaseUrls();
  if (flags.reuse) {
    // Each run's writes (scripts/bench/writes.ts) leave some 40k dead rows in effective_access, which
    // autovacuum would clear on a live database; with it off (as on this machine's PostgreSQL) a deep
    // page's index scan then steps over them, and PostgreSQL's CPU per page 500 doubled on reuse.
    await withClient(target, (client) => client.query('vacuum analyze'));
    return [`database ${name} reused as loaded, vacuumed and analyzed`];
  }
  await withClient(admin, async (client) => {
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.query(`create database "${name}"`);
  });
  const db = await openDatabase(target); // applies the migrations
  await db.close();
  await withClient(target, async (client) => {
    const started = Date.now();
    // Bulk load without the effective-access triggers (a per-statement refresh over 200k users is far
    // slower than one rebuild): `access:rebuild` below recomputes the index from the base tables.
    await client.query('set session_replication_role = replica');
    for (const statement of dataStatements(size)) await client.query(statement);
    await client.query('set session_replication_role = default');
    notes.push(
      `data ${sizeName}: ${size.partners} partners, ${size.tenants} tenants, ${size.users} users, ${size.groups} groups, ${size.applications} applications (${((Date.now() - started) / 1000).toFixed(1)} s to load)`,
    );
  });
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  if (scripts['access:rebuild']) {
    const started = Date.now();
    const run = spawnSync('npm', ['run', '-s', 'access:rebuild'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: target }, stdio: 'inherit' });
    if (run.status !== 0) throw new Error('npm run access:rebuild failed');
    notes.push(`access:rebuild ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  await withClient(target, async (client) => {
    const { rows } = await client.query<{ found: string | null }>(`select to_regclass('effective_access')::text as found`);
    if (!rows[0].found) {
      const started = Date.now();
      for (const statement of EFFECTIVE_ACCESS_SNAPSHOT) await client.query(statement);
      notes.push(
        `effective_access is not maintained on this branch: the baseline reads a snapshot built once from the base tables (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    }
    // Planner statistics, as autovacuum would have them on a live database.
    await client.query('analyze');
    const hot = await client.query<{ n: number; direct: number }>(
      'select count(*)::int as n, count(*) filter (where direct)::int as direct from effective_access where application_id = $1',
      [benchId('a', 1)],
    );
    notes.push(`hot application: ${hot.rows[0].n} effective users (${hot.rows[0].direct} direct)`);
  });
  return notes;
}

/**
 * Resolves with the first match of `pattern` in the child's output. The gateway prints its banner on
 * stderr (stdout carries JSON log lines only), so both streams are watched; stderr is passed through.
 */
function waitForLine(child: ChildProcess, pattern: RegExp, label: string): Promise<RegExpExecArray> {
  return new Promise((resolvePort, reject) => {
    let seen = '';
    let found = false;
    const onData = (chunk: Buffer) => {
      if (found) return;
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        found = true;
        resolvePort(match);
      }
    };
    // Keep draining both: a full pipe would block the child's writes.
    child.stdout!.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      onData(chunk);
    });
    child.once('exit', (code) => {
      if (!found) reject(new Error(`${label} exited (${code}) before it was ready:\n${seen}`));
    });
  });
}

async function startGateway(dir: string, label: string): Promise<Server> {
  const main = resolve(ROOT, dir, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} not found: build it first (npm run build)`);
  const nodeFlags = flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, '.bench', 'prof')}`, `--cpu-prof-name=${label}-${Date.now()}.cpuprofile`] : [];
  if (flags.profile) mkdirSync(join(ROOT, '.bench', 'prof'), { recursive: true });
  // The flags of `npm start` from the gateway's own package.json (a --compare build keeps its own).
  const child = spawn(process.execPath, [...startNodeFlags(resolve(ROOT, dir, '..')), ...nodeFlags, main], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', JWT_SECRET, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [, port] = await waitForLine(child, /ready on http:\/\/localhost:(\d+)/, label);
  return { label, base: `http://127.0.0.1:${port}`, child };
}

async function startBaseline(): Promise<Server | undefined> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'scripts', 'bench', 'baseline.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', JWT_SECRET, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [, port] = await waitForLine(child, /baseline listening on (\d+)/, 'baseline');
    return { label: 'baseline', base: `http://127.0.0.1:${port}`, child };
  } catch (error) {
    console.error(`baseline unavailable: ${(error as Error).message}`);
    return undefined;
  }
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((done) => server.child.once('exit', done));
  server.child.kill('SIGTERM');
  await exited;
}

async function fetchJson(server: Server, scenario: Scenario): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(server.base + scenario.path, {
    method: scenario.method,
    headers: { authorization: `Bearer ${scenario.token}`, 'content-type': 'application/json' },
    body: scenario.body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The same answer from both servers, `meta` (request id, time) and `extensions` aside. */
function sameAnswer(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const strip = ({ meta: _meta, extensions: _extensions, ...rest }: Record<string, unknown>) => rest;
  return isDeepStrictEqual(strip(a), strip(b));
}

/** Gateways started by this run: a load run waits until none of them still has SQL in flight. */
const gatewaysRunning: Server[] = [];

/**
 * Waits until every gateway's database pool is idle: when autocannon stops, requests it gave up on
 * may still run their SQL, and would slow the next measurement (of another server) down.
 */
async function settle(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (const gateway of gatewaysRunning) {
    while (Date.now() < deadline) {
      const text = await (await fetch(`${gateway.base}/metrics`)).text();
      const busy = /^idgraph_db_pool_connections\{state="(used|pending)"\} (\S+)$/gm;
      let inFlight = 0;
      for (const match of text.matchAll(busy)) inFlight += Number(match[2]);
      if (inFlight === 0) break;
      await new Promise((done) => setTimeout(done, 250));
    }
  }
}

async function load(server: Server, scenario: Scenario, connections: number, duration: number): Promise<Figures> {
  await settle();
  const result = await autocannon({
    url: server.base + scenario.path,
    method: scenario.method,
    headers: { authorization: `Bearer ${scenario.token}`, 'content-type': 'application/json' },
    body: scenario.body,
    connections,
    duration,
  });
  // No answer within the run: no latency to report (autocannon would say 0 ms).
  const answered = result.requests.total > 0;
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: answered ? result.latency.p50 : NaN,
    p99: answered ? result.latency.p99 : NaN,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** SQL statements per request from the gateway's own histogram (src/http/metrics.ts). */
async function statementTotals(server: Server): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(`${server.base}/metrics`)).text();
  let sum = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    const match = /^idgraph_sql_statements_per_request_(sum|count)\{[^}]*\} (\S+)$/.exec(line);
    if (match?.[1] === 'sum') sum += Number(match[2]);
    else if (match) count += Number(match[2]);
  }
  return { sum, count };
}

/** CPU time (user + system) the server's process has used so far, in ms (Linux /proc). */
function cpuMs(server: Server): number {
  try {
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return statCpuMs(readFileSync(`/proc/${server.child.pid}/stat`, 'utf8')).ms;
  } catch {
    return NaN;
  }
}

/** utime + stime of a /proc/<pid>/stat line, in ms; the command name is between the first '(' and the last ')'. */
function statCpuMs(stat: string): { command: string; ms: number } {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ms: (Number(fields[11]) + Number(fields[12])) * 10 };
}

/**
 * CPU time so far of each process of a PostgreSQL server on this machine (backends and helpers), by
 * pid, in ms; empty when none is visible (a remote database). A process that exits during a run takes
 * its time with it, so the figure can only undercount.
 */
function postgresCpu(): Map<number, number> {
  const found = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return found;
  }
  for (const entry of entries) {
    try {
      const { command, ms } = statCpuMs(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (command === 'postgres') found.set(Number(entry), ms);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return found;
}

/** PostgreSQL's CPU time since `before` (postgresCpu), in ms; NaN without a local server. */
function postgresCpuSince(before: Map<number, number>): number {
  const now = postgresCpu();
  if (!now.size) return NaN;
  let ms = 0;
  for (const [pid, total] of now) ms += total - (before.get(pid) ?? 0);
  return ms;
}

/** CPU ms per request of a loaded run, from a counter read before and after it. */
const perRequest = (ms: number, figures: Figures) => (figures.requests && Number.isFinite(ms) ? ms / figures.requests : NaN);

function rssMiB(server: Server): string {
  try {
    const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
    const kib = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return `${Math.round(kib('VmRSS') / 1024)}/${Math.round(kib('VmHWM') / 1024)}`;
  } catch {
    return '?';
  }
}

interface Row {
  scenario: string;
  build: string;
  gateway: Figures[];
  baseline: Figures[];
  gatewaySingle: number[];
  baselineSingle: number[];
  gatewayCpu: number[];
  /** PostgreSQL's CPU ms per request while the gateway, then the baseline, was loaded. */
  gatewayPostgresCpu: number[];
  baselineCpu: number[];
  baselinePostgresCpu: number[];
  rss: string;
  statements: string;
  note: string;
}

const median = (all: number[]) => {
  const values = all.filter(Number.isFinite);
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const spread = (all: number[]) => {
  const values = all.filter(Number.isFinite);
  return values.length > 1 ? `±${Math.round(((Math.max(...values) - Math.min(...values)) / 2 / median(values)) * 100)}%` : '';
};
const num = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function printTable(rows: Row[]): void {
  const header = [
    'scenario',
    'build',
    'gw req/s',
    'p50',
    'p99',
    'base req/s',
    'p50',
    'p99',
    'gw/base',
    'gw 1-client p50',
    'base 1-client p50',
    'gw CPU ms/req',
    'PG CPU ms/req',
    'base CPU ms/req',
    'base PG ms/req',
    'gw RSS/peak MiB',
    'SQL/req',
    'note',
  ];
  const lines = rows.map((row) => {
    const g = row.gateway;
    const b = row.baseline;
    const grps = median(g.map((f) => f.rps));
    const brps = median(b.map((f) => f.rps));
    return [
      row.scenario,
      row.build,
      `${num(grps)}${spread(g.map((f) => f.rps))}`,
      num(median(g.map((f) => f.p50))),
      num(median(g.map((f) => f.p99))),
      `${num(brps)}${spread(b.map((f) => f.rps))}`,
      num(median(b.map((f) => f.p50))),
      num(median(b.map((f) => f.p99))),
      Number.isFinite(brps) ? `${(grps / brps).toFixed(2)}` : '-',
      num(median(row.gatewaySingle), 1),
      num(median(row.baselineSingle), 1),
      `${num(median(row.gatewayCpu), 2)}${spread(row.gatewayCpu)}`,
      num(median(row.gatewayPostgresCpu), 2),
      num(median(row.baselineCpu), 2),
      num(median(row.baselinePostgresCpu), 2),
      row.rss,
      row.statements,
      row.note,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const line of lines) console.log(format(line));
  console.log(
    'req/s and CPU: median of the repeats (± half their spread); p50/p99 latency in ms under load; 1-client p50 in ms; gw/base: req/s ratio;\n' +
      "gw CPU ms/req: the gateway process's CPU time over the loaded run / requests served (less sensitive to other load on the machine than req/s);\n" +
      "PG CPU ms/req, base PG ms/req: the same for the local PostgreSQL server (all its processes, autovacuum included) while the gateway, or the baseline, was loaded; base CPU ms/req: the baseline process's.",
  );
}

async function main(): Promise<void> {
  const notes = await prepareDatabase();
  for (const note of notes) console.log(note);
  const config = { jwtSecret: JWT_SECRET } as Config;
  const tenantId = benchId('t', 1);
  const superToken = await signToken(config, { sub: 'bench-super', role: 'super_admin', scope: 'admin:read admin:write' }, 6 * 3600);
  const tenantToken = await signToken(config, { sub: 'bench-tenant', role: 'tenant_admin', tenant_id: tenantId, scope: 'admin:read' }, 6 * 3600);
  const hot = benchId('a', 1);
  const adminPage = (page: number) => `/api/v1/admin/applications/${hot}/effective-users?page=${page}&per_page=50`;
  const tenantPage = (page: number) => `/api/v1/tenants/${tenantId}/applications/${hot}/effective-users?page=${page}&per_page=50`;

  const builds = [{ dir: flags.gateway, label: flags.compare ? 'new' : 'gateway' }, ...(flags.compare ? [{ dir: flags.compare, label: 'compare' }] : [])];
  const baseline = await startBaseline();
  const gateways: Server[] = [];
  const rows = new Map<string, Row>();
  let writes: WriteFigure[] = [];
  try {
    for (const build of builds) gateways.push(await startGateway(build.dir, build.label));
    gatewaysRunning.push(...gateways);
    const tenantTotal = Number(
      ((await fetchJson(gateways[0], { name: '', method: 'GET', path: tenantPage(1), token: tenantToken })).body.pagination as { total_items: number }).total_items,
    );
    const lastTenantPage = Math.max(1, Math.ceil(tenantTotal / 50));
    const scenarios: Scenario[] = (
      [
        { name: 'REST hot app page 1 (super)', method: 'GET', path: adminPage(1), token: superToken },
        { name: 'REST hot app page 500 (super)', method: 'GET', path: adminPage(500), token: superToken },
        { name: 'REST hot app page 1 (tenant admin)', method: 'GET', path: tenantPage(1), token: tenantToken },
        { name: `REST hot app page ${lastTenantPage} (tenant admin, last)`, method: 'GET', path: tenantPage(lastTenantPage), token: tenantToken },
        { name: 'GraphQL 50 apps × (count + 5 users)', method: 'POST', path: '/graphql', token: superToken, body: JSON.stringify({ query: APPLICATIONS_QUERY }) },
        { name: 'GraphQL { __typename } with token', method: 'POST', path: '/graphql', token: superToken, body: JSON.stringify({ query: TYPENAME_QUERY }) },
      ] as Scenario[]
    ).filter((s) => !flags.only || s.name.includes(flags.only));
    const connections = Number(flags.connections);
    for (let repeat = 0; repeat < Number(flags.repeat); repeat += 1) {
      for (const scenario of scenarios) {
        // Builds take turns per scenario, so that both see the same background load, and swap places
        // every other repeat: the first of the two measured was up to a fifth slower in the same run
        // (with --compare, either build, for reasons not found), so each build takes each slot once.
        for (const gateway of repeat % 2 === 0 ? gateways : [...gateways].reverse()) {
          const key = `${scenario.name}\u0000${gateway.label}`;
          const row = rows.get(key) ?? {
            scenario: scenario.name,
            build: gateway.label,
            gateway: [],
            baseline: [],
            gatewaySingle: [],
            baselineSingle: [],
            gatewayCpu: [],
            gatewayPostgresCpu: [],
            baselineCpu: [],
            baselinePostgresCpu: [],
            rss: '',
            statements: '',
            note: '',
          };
          rows.set(key, row);
          const fromGateway = await fetchJson(gateway, scenario);
          if (fromGateway.status !== 200) throw new Error(`${scenario.name}: ${gateway.label} answered ${fromGateway.status} ${JSON.stringify(fromGateway.body)}`);
          if (baseline && !sameAnswer(fromGateway.body, (await fetchJson(baseline, scenario)).body)) row.note = 'ANSWERS DIFFER';
          await load(gateway, scenario, connections, seconds(flags.warmup));
          const before = await statementTotals(gateway);
          const cpuBefore = cpuMs(gateway);
          const postgresBefore = postgresCpu();
          const figures = await load(gateway, scenario, connections, seconds(flags.duration));
          row.gatewayCpu.push(perRequest(cpuMs(gateway) - cpuBefore, figures));
          row.gatewayPostgresCpu.push(perRequest(postgresCpuSince(postgresBefore), figures));
          row.gateway.push(figures);
          const after = await statementTotals(gateway);
          row.statements = after.count > before.count ? ((after.sum - before.sum) / (after.count - before.count)).toFixed(1) : '?';
          row.rss = rssMiB(gateway);
          row.gatewaySingle.push((await load(gateway, scenario, 1, seconds(flags.single))).p50);
          console.error(`[${repeat + 1}/${flags.repeat}] ${gateway.label}: ${scenario.name}: ${num(figures.rps)} req/s, ${num(row.gatewayCpu.at(-1)!, 2)} CPU ms/req`);
        }
        if (baseline) {
          await load(baseline, scenario, connections, seconds(flags.warmup));
          const cpuBefore = cpuMs(baseline);
          const postgresBefore = postgresCpu();
          const figures = await load(baseline, scenario, connections, seconds(flags.duration));
          const cpu = perRequest(cpuMs(baseline) - cpuBefore, figures);
          const postgres = perRequest(postgresCpuSince(postgresBefore), figures);
          const single = (await load(baseline, scenario, 1, seconds(flags.single))).p50;
          for (const gateway of gateways) {
            const row = rows.get(`${scenario.name}\u0000${gateway.label}`)!;
            row.baseline.push(figures);
            row.baselineSingle.push(single);
            row.baselineCpu.push(cpu);
            row.baselinePostgresCpu.push(postgres);
          }
          console.error(`[${repeat + 1}/${flags.repeat}] baseline: ${scenario.name}: ${num(figures.rps)} req/s`);
        }
      }
    }
    if (Number(flags.writes) > 0 && size.applications > 150) {
      writes = await withClient(databaseUrls().target, (client) =>
        measureWrites(client, size, gateways[0].base, superToken, Number(flags.writes), Math.max(1, Number(flags['write-warmup']))),
      );
    }
    for (const row of rows.values()) {
      const failures = [...row.gateway, ...row.baseline].reduce((n, f) => n + f.failures, 0);
      if (failures) row.note = `${row.note} ${failures} failed requests`.trim();
    }
  } finally {
    for (const gateway of gateways) await stop(gateway);
    if (baseline) await stop(baseline);
  }
  console.log(`\nsize ${sizeName}, ${flags.connections} connections, ${flags.duration} s per run after ${flags.warmup} s warm-up, ${flags.repeat} repeat(s)`);
  printTable([...rows.values()]);
  printWrites(writes, await withClient(databaseUrls().target, indexSize));
}

function printWrites(writes: WriteFigure[], size: { index: number; base: number }): void {
  if (writes.length) {
    console.log(
      `\nWrites through the REST API of the first gateway, one client, ${writes[0].ms.length} times each after ${Math.max(1, Number(flags['write-warmup']))} unrecorded rounds (ms, in order; median; the cold first run in brackets):`,
    );
    for (const figure of writes) {
      console.log(
        `  ${figure.write}: ${figure.ms.map((ms) => ms.toFixed(1)).join(', ')}; median ${median(figure.ms).toFixed(1)}${figure.target ? ` (target ${figure.target})` : ''}${figure.warmup === undefined ? '' : ` [cold ${figure.warmup.toFixed(1)}]`}`,
      );
    }
  }
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  console.log(`Index tables ${mib(size.index)} MiB against ${mib(size.base)} MiB of base tables: ${(size.index / size.base).toFixed(2)}× (target ≤ 2×)`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
