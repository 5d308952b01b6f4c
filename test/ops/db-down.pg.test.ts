import { serviceUnavailableOf } from '../../src/common/errors.js';
import { startTestGateway, type TestGateway } from '../support/harness.js';
import { TcpRelay } from '../support/tcp-relay.js';
import { createApplication, createTenant } from '../support/world.js';

/**
 * While PostgreSQL does not answer, every surface answers 503 with Retry-After (REST `{detail}`,
 * management API `{message, error_code}`, GraphQL `SERVICE_UNAVAILABLE`, /oauth/token
 * `temporarily_unavailable`), never a 500 and never the database's address. The gateway reaches
 * PostgreSQL through a TCP relay that the test cuts (connections reset, port closed) or freezes
 * (connections accepted, nothing answered: only the acquire and statement timeouts end the wait).
 */
const serverUrl = process.env.DATABASE_URL;
// Collected by jest only when DATABASE_URL is set (jest.config.js: *.pg.test.ts).
if (!serverUrl) throw new Error('db-down.pg.test.ts needs DATABASE_URL (a PostgreSQL server)');

describe('database trouble → 503 with Retry-After', () => {
  let relay: TcpRelay;
  let gw: TestGateway;
  let su: string;
  let tenantAdmin: string;
  let app: { clientId: string; clientSecret: string };

  const graphql = (token: string, query: string) => gw.http.post('/graphql').set('authorization', `Bearer ${token}`).send({ query });
  const oauth = () => gw.http.post('/oauth/token').type('form').send({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret });

  /** Nothing in an answer points at the database: no relay port, no host, no SQL. */
  const expectNoAddress = (text: string) => {
    expect(text).not.toContain(String(relay.port));
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toMatch(/ECONN|select |Knex/i);
  };

  /** Every surface while the database does not answer. */
  async function expectEverySurfaceUnavailable(): Promise<void> {
    const rest = await gw.http.get('/api/v1/admin/tenants/').set('authorization', `Bearer ${su}`);
    expect({ status: rest.status, retryAfter: rest.headers['retry-after'], detail: typeof rest.body.detail }).toEqual({ status: 503, retryAfter: '5', detail: 'string' });
    expectNoAddress(rest.text);

    const management = await gw.http.get('/v1/management/applications').set('authorization', `Bearer ${tenantAdmin}`);
    expect({ status: management.status, retryAfter: management.headers['retry-after'], body: management.body }).toEqual({
      status: 503,
      retryAfter: '5',
      body: { message: expect.any(String), error_code: 503 },
    });
    expectNoAddress(management.text);

    // Resolvers fail (a super admin's token needs no lookup) …
    const query = await graphql(su, '{ tenants { items { id } } }');
    expect({ status: query.status, retryAfter: query.headers['retry-after'], code: query.body.errors?.[0]?.extensions?.code }).toEqual({
      status: 503,
      retryAfter: '5',
      code: 'SERVICE_UNAVAILABLE',
    });
    expectNoAddress(query.text);
    const mutation = await graphql(su, 'mutation { createTenant(input: { name: "Written while down" }) { id } }');
    expect({ status: mutation.status, code: mutation.body.errors?.[0]?.extensions?.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    // … and so does the context (a tenant admin's token is checked against its tenant).
    const context = await graphql(tenantAdmin, '{ tenants { items { id } } }');
    expect({ status: context.status, retryAfter: context.headers['retry-after'], code: context.body.errors?.[0]?.extensions?.code }).toEqual({
      status: 503,
      retryAfter: '5',
      code: 'SERVICE_UNAVAILABLE',
    });
    expectNoAddress(context.text);

    const token = await oauth();
    expect({ status: token.status, retryAfter: token.headers['retry-after'], error: token.body.error }).toEqual({ status: 503, retryAfter: '5', error: 'temporarily_unavailable' });
    expectNoAddress(token.text);

    const ready = await gw.http.get('/readyz');
    expect({ status: ready.status, body: ready.body }).toEqual({ status: 503, body: { status: 'unavailable', reason: 'database unavailable' } });
    expectNoAddress(ready.text);
    await gw.http.get('/healthz').expect(200);
  }

  /** Polls /readyz until the pool reconnects, then checks that requests are served again. */
  async function expectServedAgain(): Promise<void> {
    const deadline = Date.now() + 20000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await gw.http.get('/readyz')).status;
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
    expect((await gw.http.get('/api/v1/admin/tenants/').set('authorization', `Bearer ${su}`)).status).toBe(200);
    expect((await graphql(tenantAdmin, '{ tenants { items { id } } }')).body.errors).toBeUndefined();
    expect((await oauth()).status).toBe(200);
  }

  beforeAll(async () => {
    relay = await TcpRelay.to(serverUrl!);
    gw = await startTestGateway({ DATABASE_ACQUIRE_TIMEOUT_MS: '1000', DATABASE_STATEMENT_TIMEOUT_MS: '1000' }, { connectVia: (url) => relay.urlVia(url) });
    su = await gw.superToken();
    const tenantId = await createTenant(gw, su, 'Tenant while up');
    tenantAdmin = await gw.token({ sub: 'ta', role: 'tenant_admin', tenant_id: tenantId, scope: 'admin:read admin:write' });
    app = await createApplication(gw, su, { name: 'Token while up', scope: 'GLOBAL', applicationType: 'service' });
  });

  // A failed test must not leave the database cut off for the next one.
  afterEach(() => relay.heal());

  afterAll(async () => {
    relay?.thaw();
    await gw?.close();
    await relay?.cut();
  });

  it('connections reset and refused: 503 + Retry-After everywhere, served again when the database is back', async () => {
    await relay.cut();
    await expectEverySurfaceUnavailable();
    await relay.restore();
    await expectServedAgain();
  });

  it('a database that accepts connections but never answers: requests end with 503 (acquire and statement timeouts), none hangs', async () => {
    // Warm connections in the pool: their statements hang; new connections hang in the handshake.
    await Promise.all(Array.from({ length: 4 }, () => gw.http.get('/api/v1/admin/tenants/').set('authorization', `Bearer ${su}`).expect(200)));
    relay.freeze();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? graphql(su, '{ tenants { items { id } } }') : gw.http.get('/api/v1/admin/tenants/').set('authorization', `Bearer ${su}`))),
    );
    for (const res of answers) {
      expect({ status: res.status, retryAfter: res.headers['retry-after'] }).toEqual({ status: 503, retryAfter: '5' });
      expectNoAddress(res.text);
    }
    await expectEverySurfaceUnavailable();
    relay.thaw();
    await expectServedAgain();
  });

  it('a statement running past DATABASE_STATEMENT_TIMEOUT_MS is cancelled (by the server, or by the client behind PgBouncer) and classified as unavailable', async () => {
    // PgBouncer drops the statement_timeout startup parameter (docs/scaling.md): then the client-side read timeout ends the wait.
    const [{ timeout }] = await gw.db.orm.em.fork().execute(`select current_setting('statement_timeout') as timeout`);
    const error = await gw.db.orm.em
      .fork()
      .execute('select pg_sleep(5)')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    if (timeout !== '0') expect((error as { code?: string }).code).toBe('57014');
    else expect(String((error as Error).message)).toMatch(/timeout/i);
    expect(serviceUnavailableOf(error)?.code).toBe('SERVICE_UNAVAILABLE');
  });
});
