import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/orm.js';
import { createLogger } from '../../src/http/logger.js';
import { createGateway, type Gateway } from '../../src/http/server.js';
import supertest from 'supertest';
import { TcpRelay } from '../support/tcp-relay.js';

/**
 * /readyz follows the database: the gateway reaches PostgreSQL through a TCP relay that the test
 * cuts (connections reset, port closed) and restores. A real server and real network failures,
 * so it needs PostgreSQL: it runs only when DATABASE_URL is set (CI's PostgreSQL pass does).
 */
const serverUrl = process.env.DATABASE_URL;
// Collected by jest only when DATABASE_URL is set (jest.config.js: *.pg.test.ts).
if (!serverUrl) throw new Error('readiness.pg.test.ts needs DATABASE_URL (a PostgreSQL server)');

describe('GET /readyz with PostgreSQL going away and coming back', () => {
  const name = `idgraph_ready_${randomBytes(6).toString('hex')}`;
  let relay: TcpRelay;
  let db: Database;
  let gateway: Gateway;

  beforeAll(async () => {
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    relay = await TcpRelay.to(serverUrl!);
    const viaRelay = new URL(relay.urlVia(serverUrl!));
    viaRelay.pathname = `/${name}`;
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'test-secret-for-idgraph-tests-0123456789', DATABASE_URL: viaRelay.toString() });
    db = await openDatabase(config.databaseUrl, { timeouts: config.database });
    gateway = await createGateway(db, config, createLogger(config));
  });

  afterAll(async () => {
    await gateway?.stop();
    await db?.close();
    await relay?.cut();
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it('answers 200 while the database answers, 503 while it is unreachable, 200 again when it is back', async () => {
    const http = supertest(gateway.listener);
    const ready = await http.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', database: 'postgresql' });

    await relay.cut();
    const down = await http.get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    // Liveness does not depend on the database: restarting the process would not help.
    await http.get('/healthz').expect(200);
    // Still unavailable on a second probe (new connections are refused too).
    expect((await http.get('/readyz')).status).toBe(503);

    await relay.restore();
    const deadline = Date.now() + 15000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await http.get('/readyz')).status;
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
  });
});
