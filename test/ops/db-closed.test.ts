import { startTestGateway, type TestGateway } from '../support/harness.js';

/**
 * A closed database (PGlite shut down, or the PostgreSQL pool destroyed) is "unavailable" too:
 * 503 with Retry-After on REST and GraphQL, not a 500. Runs on whichever database the suite uses.
 */
describe('requests after the database was closed', () => {
  let gw: TestGateway;
  let su: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    await gw.db.close();
  });
  afterAll(() => gw.close());

  it('REST → 503 {detail} with Retry-After', async () => {
    const res = await gw.http.get('/api/v1/admin/tenants/').set('authorization', `Bearer ${su}`);
    expect({ status: res.status, retryAfter: res.headers['retry-after'], detail: res.body.detail }).toEqual({
      status: 503,
      retryAfter: '5',
      detail: 'The database is unavailable; retry later',
    });
  });

  it('GraphQL → 503 SERVICE_UNAVAILABLE with Retry-After', async () => {
    const res = await gw.http.post('/graphql').set('authorization', `Bearer ${su}`).send({ query: '{ tenants { items { id } } }' });
    expect({ status: res.status, retryAfter: res.headers['retry-after'], code: res.body.errors?.[0]?.extensions?.code }).toEqual({
      status: 503,
      retryAfter: '5',
      code: 'SERVICE_UNAVAILABLE',
    });
  });

  it('/readyz → 503 "database unavailable"', async () => {
    const res = await gw.http.get('/readyz');
    expect({ status: res.status, body: res.body }).toEqual({ status: 503, body: { status: 'unavailable', reason: 'database unavailable' } });
  });
});
