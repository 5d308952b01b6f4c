import supertest from 'supertest';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/orm.js';
import { createLogger } from '../../src/http/logger.js';
import { createGateway, type Gateway } from '../../src/http/server.js';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from '../support/harness.js';
import { createApplication } from '../support/world.js';

/**
 * OAUTH_RATE_LIMIT_STORE=postgres: two instances on one database share the /oauth/token budgets,
 * so a guesser cannot multiply them by spreading requests over instances.
 */
const serverUrl = process.env.DATABASE_URL;
// Collected by jest only when DATABASE_URL is set (jest.config.js: *.pg.test.ts).
if (!serverUrl) throw new Error('oauth-shared-limits.pg.test.ts needs DATABASE_URL (a PostgreSQL server)');

describe('/oauth/token rate limits shared through PostgreSQL', () => {
  const env = { OAUTH_RATE_LIMIT_STORE: 'postgres', OAUTH_FAILED_ATTEMPTS_PER_CLIENT: '4', OAUTH_REQUESTS_PER_ADDRESS: '6' };
  let first: TestGateway;
  let secondDb: Database;
  let second: Gateway;
  let app: { clientId: string; clientSecret: string };
  let other: { clientId: string; clientSecret: string };

  const form = (gateway: Gateway, from: string, credentials: { clientId: string }, secret: string) =>
    supertest(gateway.listener)
      .post('/oauth/token')
      .set('x-forwarded-for', from)
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: secret });

  beforeAll(async () => {
    first = await startTestGateway(env);
    const url = first.db.orm.config.get('clientUrl')!;
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, SEED_DEMO_DATA: '0', DATABASE_URL: url, ...env });
    secondDb = await openDatabase(url, { timeouts: config.database });
    second = await createGateway(secondDb, config, createLogger(config));
    const su = await first.superToken();
    app = await createApplication(first, su, { name: 'Shared', scope: 'GLOBAL', applicationType: 'service' });
    other = await createApplication(first, su, { name: 'Other', scope: 'GLOBAL', applicationType: 'service' });
  });
  afterAll(async () => {
    await second?.stop();
    await secondDb?.close();
    await first?.close();
  });

  it('failed attempts on either instance count against one budget per client id', async () => {
    const gateways = [first.gateway, second];
    for (let i = 0; i < 4; i++) {
      const res = await form(gateways[i % 2], `203.0.113.${10 + i}`, app, 'wrong');
      expect(res.status).toBe(401);
    }
    for (const gateway of gateways) {
      const limited = await form(gateway, '203.0.113.20', app, app.clientSecret);
      expect({ status: limited.status, error: limited.body.error }).toEqual({ status: 429, error: 'too_many_requests' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect((await form(second, '203.0.113.21', other, other.clientSecret)).status).toBe(200);
  });

  it('requests from one address on either instance count against one budget', async () => {
    const from = '203.0.113.99';
    for (let i = 0; i < 6; i++) {
      expect((await form(i % 2 ? second : first.gateway, from, other, other.clientSecret)).status).toBe(200);
    }
    const limited = await form(first.gateway, from, other, other.clientSecret);
    expect({ status: limited.status, error: limited.body.error }).toEqual({ status: 429, error: 'too_many_requests' });
    const alsoLimited = await form(second, from, other, other.clientSecret);
    expect(alsoLimited.status).toBe(429);
  });
});
