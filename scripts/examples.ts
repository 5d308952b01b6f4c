import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { signToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { buildOpenApiDocument } from '../src/rest/openapi.js';
import { routes } from '../src/rest/routes.js';

/**
 * `npm run examples`: the typed front-end clients of examples/ generated, typechecked and run
 * against a freshly started gateway (run after `npm run build`, which the npm script does).
 *
 * 1. examples/rest/generated/openapi.json from the route table, then openapi-typescript → schema.d.ts;
 *    GraphQL Code Generator (client preset) over schema.graphql → examples/graphql/generated/.
 * 2. tsc over examples/ (typecheck and emit).
 * 3. The gateway on a free port, an in-memory embedded database and a known JWT_SECRET.
 * 4. Each example with IDGRAPH_URL and a super-admin IDGRAPH_TOKEN; any failure → exit code 1.
 */
const root = join(__dirname, '..', '..');
const examples = join(root, 'examples');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const JWT_SECRET = 'examples-jwt-secret-0123456789abcdef';

function step(title: string, command: string, args: string[]): void {
  console.log(`\n== ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${title} failed (exit ${result.status ?? result.signal})`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(baseUrl: string, server: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the gateway exited with code ${server.exitCode} before it was ready`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the gateway was not ready within ${timeoutMs / 1000} s`);
}

function runExample(name: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  console.log(`\n== example: ${name}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(examples, 'dist', name, 'main.js')], { cwd: root, env, stdio: 'inherit' });
    child.once('exit', (code) => {
      console.log(`== example ${name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`}`);
      resolve(code === 0);
    });
  });
}

async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function main(): Promise<void> {
  const generated = join(examples, 'rest', 'generated');
  mkdirSync(generated, { recursive: true });
  writeFileSync(join(generated, 'openapi.json'), `${JSON.stringify(buildOpenApiDocument(routes), null, 2)}\n`);
  step('openapi-typescript: /openapi.json → examples/rest/generated/schema.d.ts', bin('openapi-typescript'), [
    join(generated, 'openapi.json'),
    '--output',
    join(generated, 'schema.d.ts'),
  ]);
  step('graphql-codegen: schema.graphql + examples/graphql/operations.ts → examples/graphql/generated/', bin('graphql-codegen'), [
    '--config',
    join(examples, 'graphql', 'codegen.yml'),
    '--silent',
  ]);
  step('tsc: typecheck and build examples/', bin('tsc'), ['-p', join(examples, 'tsconfig.json')]);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Always the throwaway in-memory database, even where DATABASE_URL points at a real one.
  const serverEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), JWT_SECRET, SEED_DEMO_DATA: '0', LOG_LEVEL: 'warn', NODE_ENV: 'development' };
  delete serverEnv.DATABASE_URL;
  console.log(`\n== starting the gateway on ${baseUrl}`);
  const server = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], { cwd: root, env: serverEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  let failed = false;
  try {
    await waitUntilReady(baseUrl, server);
    const config = loadConfig({ JWT_SECRET });
    const token = await signToken(config, { sub: 'examples', role: 'super_admin', scope: 'admin:read admin:write' }, 3600);
    const env = { ...process.env, IDGRAPH_URL: baseUrl, IDGRAPH_TOKEN: token };
    for (const name of ['graphql', 'rest']) {
      if (!(await runExample(name, env))) failed = true;
    }
  } finally {
    await stop(server);
  }
  if (failed) throw new Error('an example failed');
  console.log('\nexamples: all passed');
}

main().catch((error: unknown) => {
  console.error(`examples: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
