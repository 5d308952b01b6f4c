import 'reflect-metadata';
import type { Server } from 'node:http';
import { signToken } from './auth/tokens.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { isEmpty, loadDemoData } from './db/demo-data.js';
import { openDatabase } from './db/orm.js';
import { createLogger } from './http/logger.js';
import { createGateway } from './http/server.js';

/** Starts the gateway: database (migrations applied), demo data on an empty embedded database, HTTP. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);
  const db = await openDatabase(config.databaseUrl, config.database, {
    urls: config.databaseReplicaUrls,
    maxLagMs: config.replicaMaxLagMs,
    probeIntervalMs: config.replicaProbeIntervalMs,
  });
  let demoDataLoaded = false;
  if (config.seedDemoData && (await isEmpty(db.orm))) {
    await loadDemoData(db.orm);
    demoDataLoaded = true;
    logger.info('demo data loaded');
  }
  const devToken = config.production
    ? undefined
    : await signToken(config, { sub: 'dev-super-admin', role: 'super_admin', scope: 'admin:read admin:write' }, 7 * 24 * 3600);
  // Prefilled in the playground only on the throwaway embedded demo database, never on a real one.
  if (db.kind === 'pglite' && demoDataLoaded) config.playgroundToken = devToken;
  const gateway = await createGateway(db, config, logger);
  const server: Server = gateway.app.listen(config.port);
  try {
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    console.error(`Cannot listen on PORT ${config.port}: ${code === 'EADDRINUSE' ? 'already in use' : 'permission denied'}`);
    await db.close();
    process.exit(1);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;

  const base = `http://localhost:${port}`;
  console.log(`idgraph ready on ${base} (${db.kind === 'pglite' ? 'embedded PGlite database' : 'PostgreSQL'})`);
  console.log(`  GraphQL:    ${base}/graphql`);
  if (config.playground) console.log(`  Playground: ${base}/playground`);
  console.log(`  REST docs:  ${base}/docs`);
  console.log(`  Metrics:    ${base}/metrics`);
  if (config.jwtSecretGenerated) console.log(`  JWT_SECRET (generated for this run): ${config.jwtSecret}`);
  if (devToken) console.log(`  Super-admin token (7 days):\n    ${devToken}`);

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
    clearTimeout(timer);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
