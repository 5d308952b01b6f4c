import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_IDS, loadDemoData } from '../../src/app/demo-data.js';
import { startTestGateway, TEST_JWT_SECRET } from '../support/harness.js';

/**
 * The compiled server and CLIs as separate processes (dist/, built here when older than the
 * sources), on the embedded database: exit codes, signals and output are what operators see.
 */
const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const TOKEN = join(ROOT, 'dist', 'scripts', 'token.js');
const RESET = join(ROOT, 'dist', 'scripts', 'reset.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  const sources = Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'scripts')));
  const fresh = [MAIN, TOKEN, RESET].every((file) => existsSync(file) && statSync(file).mtimeMs >= sources);
  if (fresh) return;
  // Type errors elsewhere in the tree do not stop tsc from emitting; the outputs are what matter here.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (!existsSync(MAIN) || !existsSync(TOKEN)) throw new Error('build failed: dist/src/main.js or dist/scripts/token.js missing');
}

/**
 * Environment for child processes: the embedded database, whatever DATABASE_URL the test run has,
 * in memory (IDGRAPH_EPHEMERAL) unless a test gives a DATA_DIR of its own: never the developer's.
 */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'info', IDGRAPH_EPHEMERAL: '1' };
  delete env.DATABASE_URL;
  delete env.NODE_ENV;
  delete env.JWT_SECRET;
  delete env.DATA_DIR;
  return { ...env, ...extra };
}

interface RunningServer {
  child: ChildProcess;
  port: number;
  output: () => string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Servers started here; any still running when the file ends (a failed test) are killed. */
const started = new Set<ChildProcess>();
afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: childEnv({ PORT: '0', ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  let output = '';
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => ((output += chunk), (stdout += chunk)));
  child.stderr!.on('data', (chunk) => ((output += chunk), (stderr += chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60000);
    const check = () => {
      const match = /ready on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    // The banner is on stderr (stdout carries JSON log lines only).
    child.stderr!.on('data', check);
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { child, port, output: () => output, stdout: () => stdout, stderr: () => stderr, exited };
}

function run(file: string, args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [file, ...args], { cwd: ROOT, env: childEnv(env), encoding: 'utf8' });
}

beforeAll(() => ensureBuilt(), 180000);

describe('configuration', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['LOG_LEVEL', 'loud'],
    ['SHUTDOWN_TIMEOUT_MS', '-1'],
  ])('rejects %s=%s at start with exit code 1 and a message naming it', (name, value) => {
    const env = childEnv({ PORT: '0', [name]: value });
    const result = spawnSync(process.execPath, [MAIN], { cwd: ROOT, env, encoding: 'utf8', timeout: 30000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Invalid configuration: ${name}`);
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM finishes the request in flight, refuses new connections, closes the database and exits 0', async () => {
    const server = await startServer({ SHUTDOWN_TIMEOUT_MS: '20000' });
    // Log lines are written asynchronously, in batches; those logged before the banner are on stdout when it appears.
    expect(server.stdout()).toContain('"msg":"listening"');
    const body = JSON.stringify({ query: 'query InFlight { __typename }' });
    // A keep-alive request whose body arrives in two parts: in flight when the signal comes.
    const socket = connect(server.port, '127.0.0.1');
    let response = '';
    socket.on('data', (chunk) => (response += chunk));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    await waitFor(() => server.output().includes('shutting down'), 10000);
    const refused = await new Promise<boolean>((resolve) => {
      const probe = connect(server.port, '127.0.0.1');
      probe.once('connect', () => (probe.destroy(), resolve(false)));
      probe.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);

    socket.write(body.slice(10));
    const code = await server.exited;
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain('{"data":{"__typename":"Query"}}');
    expect(code).toBe(0);
    // Exited once the request was done, not at SHUTDOWN_TIMEOUT_MS.
    expect(Date.now() - signalledAt).toBeLessThan(10000);
    // The last line logged before exit is written too, last (stdout may be read a moment after the exit).
    await waitFor(() => server.stdout().includes('"msg":"stopped"'), 5000);
    expect(server.stdout().trim().split('\n').at(-1)).toContain('"msg":"stopped"');
  });

  it('closes connections still busy after SHUTDOWN_TIMEOUT_MS and still exits 0', async () => {
    const server = await startServer({ SHUTDOWN_TIMEOUT_MS: '500' });
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // Headers of a request whose body never comes.
    socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutdown timeout');
  });
});

describe('token CLI', () => {
  it('prints tokens the server accepts', async () => {
    const tg = await startTestGateway();
    try {
      const demo = await loadDemoData(tg.db.orm);
      const env = { JWT_SECRET: TEST_JWT_SECRET };
      const superToken = run(TOKEN, ['--role', 'super_admin'], env);
      expect(superToken.status).toBe(0);
      const tenantToken = run(TOKEN, ['--role', 'tenant_admin', '--tenant', demo.tenants.acmeRetail, '--ttl', '600'], env);
      expect(tenantToken.status).toBe(0);
      const partnerToken = run(TOKEN, ['--role', 'partner_admin', '--partner', demo.partners.globex], env);
      expect(partnerToken.status).toBe(0);

      const names = async (stdout: string) => {
        const result = await tg.gql('{ tenants { items { name } } }', {}, stdout.trim());
        expect(result.errors).toBeUndefined();
        return result.data.tenants.items.map((t: { name: string }) => t.name).sort();
      };
      expect(await names(superToken.stdout)).toEqual(['Acme Bank', 'Acme Retail', 'Globex Health']);
      expect(await names(tenantToken.stdout)).toEqual(['Acme Retail']);
      expect(await names(partnerToken.stdout)).toEqual(['Globex Health']);

      const rest = await tg.http.get('/api/v1/admin/tenants/').set('authorization', `Bearer ${superToken.stdout.trim()}`);
      expect(rest.status).toBe(200);
    } finally {
      await tg.close();
    }
  });

  it('refuses to sign without JWT_SECRET or with a bad role, naming the problem', () => {
    const missing = run(TOKEN, ['--role', 'super_admin'], { JWT_SECRET: '' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('JWT_SECRET is not set');
    const noTenant = run(TOKEN, ['--role', 'tenant_admin'], { JWT_SECRET: TEST_JWT_SECRET });
    expect(noTenant.status).toBe(1);
    expect(noTenant.stderr).toContain('--tenant');
    const badRole = run(TOKEN, ['--role', 'root'], { JWT_SECRET: TEST_JWT_SECRET });
    expect(badRole.status).toBe(1);
    expect(badRole.stderr).toContain('--role must be');
  });
});

describe('persistent embedded mode (DATA_DIR)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'idgraph-data-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const get = (port: number, path: string, token: string) => fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const bannerToken = (server: RunningServer) => {
    const match = /^export TOKEN=(\S+)$/m.exec(server.stderr());
    expect(match).not.toBeNull();
    return match![1];
  };
  const tenantIds = async (port: number, token: string) => {
    const res = await get(port, '/api/v1/admin/tenants/?per_page=100', token);
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: { id: string; name: string }[] }).data.map((t) => t.id).sort();
  };

  it('keeps the database, the secret and the demo ids across restarts; JSON on stdout, the banner on stderr; reset starts over', async () => {
    const env = { IDGRAPH_EPHEMERAL: '', DATA_DIR: dataDir };
    const first = await startServer(env);
    // stdout: JSON lines only, for log collectors.
    for (const line of first.stdout().trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(first.stdout()).toContain('"msg":"demo data loaded"');
    expect(first.stdout()).toContain('"msg":"listening"');
    expect(first.stderr()).toContain(`JWT_SECRET: kept in ${join(dataDir, 'jwt-secret')}`);
    const token = bannerToken(first);
    expect((await tenantIds(first.port, token)).slice(0, 3)).toEqual(Object.values(DEMO_IDS.tenants).sort());
    const created = await fetch(`http://127.0.0.1:${first.port}/api/v1/admin/tenants/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Kept Across Restarts' }),
    });
    expect(created.status).toBe(201);
    const keptId = ((await created.json()) as { data: { id: string } }).data.id;
    // The token CLI finds the same secret with nothing exported.
    const cliToken = run(TOKEN, ['--role', 'tenant_admin', '--tenant', DEMO_IDS.tenants.acmeRetail], env);
    expect(cliToken.stderr).toBe('');
    expect(await tenantIds(first.port, cliToken.stdout.trim())).toEqual([DEMO_IDS.tenants.acmeRetail]);
    // One process per DATA_DIR: a second one (another port) is refused; so is a reset while it runs.
    const second = run(MAIN, [], { ...env, PORT: '0' });
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/DATA_DIR .* is in use by another idgraph process \(pid \d+\)/);
    const busyReset = run(RESET, [], env);
    expect(busyReset.status).toBe(1);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const restarted = await startServer(env);
    try {
      expect(restarted.stdout()).not.toContain('demo data loaded');
      // The token printed by the first run (7 days) still works, and so does the CLI's.
      const ids = await tenantIds(restarted.port, token);
      expect(ids).toEqual([...Object.values(DEMO_IDS.tenants), keptId].sort());
      expect(await tenantIds(restarted.port, cliToken.stdout.trim())).toEqual([DEMO_IDS.tenants.acmeRetail]);
    } finally {
      restarted.child.kill('SIGTERM');
      expect(await restarted.exited).toBe(0);
    }

    const reset = run(RESET, [], env);
    expect(reset.status).toBe(0);
    expect(existsSync(dataDir)).toBe(false);
    const afterReset = run(TOKEN, ['--role', 'super_admin'], env);
    expect(afterReset.status).toBe(1);
    expect(afterReset.stderr).toContain('jwt-secret does not exist yet');
  }, 300000);

  it('answers a token signed with another secret with a 401 that says so (outside production)', async () => {
    const server = await startServer({ JWT_SECRET: TEST_JWT_SECRET });
    try {
      const other = run(TOKEN, ['--role', 'super_admin'], { JWT_SECRET: 'another-secret-of-another-run-0123456789' });
      const res = await get(server.port, '/api/v1/admin/tenants/', other.stdout.trim());
      expect(res.status).toBe(401);
      expect(((await res.json()) as { detail: string }).detail).toContain("signature does not match this server's JWT_SECRET");
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 120000);
});

describe('start-up failures', () => {
  it('reports a port in use before loading anything, with exit code 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', () => resolve()));
    try {
      const port = (blocker.address() as { port: number }).port;
      const result = spawnSync(process.execPath, [MAIN], { cwd: ROOT, env: childEnv({ PORT: String(port) }), encoding: 'utf8', timeout: 60000 });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`Cannot listen on PORT ${port}: already in use`);
      expect(result.stdout).not.toContain('demo data loaded');
    } finally {
      blocker.close();
    }
  });

  it('names DATABASE_URL and the host of an unreachable database, never its password', () => {
    const result = spawnSync(process.execPath, [MAIN], {
      cwd: ROOT,
      env: childEnv({ PORT: '0', DATABASE_URL: 'postgres://idgraph:s3cret-pw@127.0.0.1:1/idgraph', JWT_SECRET: TEST_JWT_SECRET }),
      encoding: 'utf8',
      timeout: 60000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Cannot connect to the database in DATABASE_URL (host 127.0.0.1:1, database idgraph, user idgraph)');
    expect(result.stderr).toContain('ECONNREFUSED');
    expect(result.stderr + result.stdout).not.toContain('s3cret-pw');
    expect(result.stderr.split('\n').length).toBeLessThan(4);
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
