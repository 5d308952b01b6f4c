// First: settings from .env, then tracing, which must patch http, express, graphql and pg before they load.
import './env-file.js';
import './tracing.js';
import 'reflect-metadata';
import { createServer, type RequestListener } from 'node:http';
import { relative } from 'node:path';
import { signToken } from './auth/tokens.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { lockDataDir, pgliteDirOf, secretFileOf, useDevSecret } from './data-dir.js';
import { describeConnectionError, redactedUrl } from './db/connection-error.js';
import { isEmpty, loadDemoData } from './app/demo-data.js';
import { openDatabase, type Database } from './db/orm.js';
import { createLogger, flushLogs } from './http/logger.js';
import { createGateway } from './http/server.js';
import { stopTracing } from './tracing.js';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** Binds PORT before anything slow: a port in use is reported at once. Requests wait for "starting" to end with a 503. */
async function listen(config: Config): Promise<{ server: ReturnType<typeof createServer>; serve: (app: RequestListener) => void }> {
  let handler: RequestListener = (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"status":"starting"}');
  };
  const server = createServer((req, res) => handler(req, res));
  server.listen(config.port);
  try {
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    fail(`Cannot listen on PORT ${config.port}: ${code === 'EADDRINUSE' ? 'already in use (another idgraph running? set PORT to another port)' : 'permission denied'}`);
  }
  return { server, serve: (app) => (handler = app) };
}

async function open(config: Config): Promise<Database> {
  if (config.databaseUrl) {
    try {
      return await openDatabase(config.databaseUrl, {
        timeouts: config.database,
        preparedStatements: config.database.preparedStatements,
        replicas: { urls: config.databaseReplicaUrls, maxLagMs: config.replicaMaxLagMs, probeIntervalMs: config.replicaProbeIntervalMs },
      });
    } catch (error) {
      const explained = describeConnectionError(error, config.databaseUrl);
      if (explained) fail(explained);
      console.error(`Cannot open the database in DATABASE_URL (${redactedUrl(config.databaseUrl)}):`);
      throw error;
    }
  }
  if (!config.dataDir) return openDatabase();
  let release: () => void;
  try {
    release = lockDataDir(config.dataDir);
  } catch (error) {
    fail((error as Error).message);
  }
  process.once('exit', release);
  return openDatabase(undefined, { pgliteDir: pgliteDirOf(config.dataDir) });
}

/** Where the database and the secret live, in words for the banner. */
function describe(config: Config, db: Database): { database: string; secret?: string } {
  const shown = (path: string) => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path));
  const database =
    db.kind === 'postgresql'
      ? `PostgreSQL at ${new URL(config.databaseUrl!).host}`
      : config.dataDir
        ? `embedded PGlite database in ${shown(pgliteDirOf(config.dataDir))}`
        : 'embedded PGlite database in memory (IDGRAPH_EPHEMERAL)';
  if (config.jwtSecretSource === 'DATA_DIR') return { database, secret: `kept in ${shown(secretFileOf(config.dataDir!))} (npm run token reads it too)` };
  if (config.jwtSecretSource === 'generated') return { database, secret: `generated for this run: ${config.jwtSecret}` };
  return { database };
}

/** Starts the gateway: port, database (migrations applied), demo data on an empty embedded database, HTTP. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = createLogger(config);
  const { server, serve } = await listen(config);
  useDevSecret(config, { create: true });
  const db = await open(config);
  if (config.seedDemoData && (await isEmpty(db.orm))) {
    await loadDemoData(db.orm);
    logger.info('demo data loaded');
  }
  const devToken = config.production ? undefined : await signToken(config, { sub: 'dev-super-admin', role: 'super_admin', scope: 'admin:read admin:write' }, 7 * 24 * 3600);
  // Prefilled in the playground only on the embedded developer database, never on a real one.
  if (db.kind === 'pglite') config.playgroundToken = devToken;
  const gateway = await createGateway(db, config, logger);
  serve(gateway.listener);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;

  // stdout carries JSON log lines only; the banner for people goes to stderr.
  const base = `http://localhost:${port}`;
  const where = describe(config, db);
  logger.info({ url: base, database: db.kind }, 'listening');
  const banner = [`idgraph ready on ${base} (${where.database})`, `  GraphQL:    ${base}/graphql`];
  if (config.playground) banner.push(`  Playground: ${base}/playground`);
  banner.push(`  REST docs:  ${base}/docs`, `  Metrics:    ${base}/metrics`);
  if (where.secret) banner.push(`  JWT_SECRET: ${where.secret}`);
  if (devToken) banner.push('  Super-admin token (7 days), for curl:', `export TOKEN=${devToken}`);
  // Log lines are written asynchronously, in batches: the ones logged so far go out first, so whoever
  // waits for the banner (people, scripts, test/ops/process.test.ts) finds them on stdout.
  await flushLogs(logger);
  console.error(banner.join('\n'));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    const timer = setTimeout(() => {
      logger.warn('shutdown timeout: closing remaining connections');
      server.closeAllConnections();
      // Last resort: a process that cannot finish stopping must not linger without a listener.
      setTimeout(() => {
        console.error('shutdown did not complete 5 s after SHUTDOWN_TIMEOUT_MS: exiting');
        process.exit(1);
      }, 5000).unref();
    }, config.shutdownTimeoutMs);
    timer.unref();
    // Keep-alive connections go idle when their request is done; close them then rather than at the keep-alive timeout.
    const idleSweeper = setInterval(() => server.closeIdleConnections(), 100);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    clearInterval(idleSweeper);
    await gateway.stop();
    await db.close();
    await stopTracing();
    clearTimeout(timer);
    logger.info('stopped');
    // pino's exit hook would write it too, but beside a batch still being written it could come first.
    await flushLogs(logger);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
