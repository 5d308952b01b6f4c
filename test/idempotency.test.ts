import { ok, startTestGateway, type TestGateway } from './support/harness.js';
import { buildWorld, type World } from './support/world.js';

/**
 * Idempotency-Key (issue 12, IETF httpapi draft and Stripe's behaviour) on REST POST/PATCH and
 * GraphQL: replay of the first response for 24 h, 422 for the same key with another request, 409
 * while the first is running, keys scoped to the caller, stored responses encrypted.
 */
describe('Idempotency-Key', () => {
  let gw: TestGateway;
  let su: string;
  let w: World;
  let key = 0;
  const nextKey = () => `key-${Date.now()}-${++key}`;
  const applications = async (name: string): Promise<number> => {
    const [row] = await gw.db.orm.em.fork().execute('select count(*)::int as n from application where name = ? and deleted_at is null', [name]);
    return row.n;
  };

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    w = await buildWorld(gw);
  });
  afterAll(() => gw.close());

  const createApp = (idempotencyKey: string, body: Record<string, unknown>, token = su) =>
    gw.http.post('/api/v1/admin/applications/').set('authorization', `Bearer ${token}`).set('idempotency-key', idempotencyKey).send(body);

  it('a retried create replays the first response and makes one application', async () => {
    const k = nextKey();
    const body = { name: 'Retried create', application_type: 'web', scope: 'TENANT', tenant_id: w.t1a };
    const first = await createApp(k, body).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await createApp(k, body).expect(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(second.body.data.client_secret).toBe(first.body.data.client_secret);
    expect(await applications('Retried create')).toBe(1);
  });

  it('the same key with another body is 422 naming the header; nothing is written', async () => {
    const k = nextKey();
    await createApp(k, { name: 'Key reuse A', application_type: 'web', scope: 'GLOBAL' }).expect(201);
    const res = await createApp(k, { name: 'Key reuse B', application_type: 'web', scope: 'GLOBAL' }).expect(422);
    expect(res.body.detail[0].loc).toEqual(['header', 'idempotency-key']);
    expect(await applications('Key reuse B')).toBe(0);
  });

  it('a retried rotate-secret returns the same secret, never a third one', async () => {
    const created = await createApp(nextKey(), { name: 'Rotated once', application_type: 'service', scope: 'GLOBAL' }).expect(201);
    const id = created.body.data.id;
    const k = nextKey();
    const rotate = () => gw.http.post(`/api/v1/admin/applications/${id}/rotate-secret`).set('authorization', `Bearer ${su}`).set('idempotency-key', k).send({});
    const first = await rotate().expect(200);
    const again = await rotate().expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.data.client_secret).toBe(first.body.data.client_secret);
    // The replayed secret is the live one.
    const token = await gw.http
      .post('/oauth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: first.body.data.client_id, client_secret: first.body.data.client_secret });
    expect(token.status).toBe(200);
    // The stored response holds the secret only encrypted.
    const stored = await gw.db.orm.em.fork().execute('select response from idempotency_key where key = ?', [k]);
    expect(stored).toHaveLength(1);
    expect(stored[0].response).not.toContain(first.body.data.client_secret);
  });

  it('20 parallel creates with one key: one row, identical 201s or 409 for those that came while the first ran', async () => {
    const k = nextKey();
    const body = { name: 'Parallel create', application_type: 'web', scope: 'GLOBAL' };
    const responses = await Promise.all(Array.from({ length: 20 }, () => createApp(k, body)));
    const created = responses.filter((r) => r.status === 201);
    const busy = responses.filter((r) => r.status === 409);
    expect(created.length + busy.length).toBe(20);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const r of created) expect(r.body).toEqual(created[0].body);
    for (const r of busy) expect(r.body.detail).toMatch(/still being processed/);
    expect(await applications('Parallel create')).toBe(1);
    // Once the first is done, a retry replays it.
    const retry = await createApp(k, body).expect(201);
    expect(retry.body).toEqual(created[0].body);
  });

  it('an expired key runs the request again', async () => {
    const k = nextKey();
    const body = { name: 'Expiring key', application_type: 'web', scope: 'GLOBAL' };
    await createApp(k, body).expect(201);
    await gw.db.orm.em.fork().execute(`update idempotency_key set expires_at = now() - interval '1 second' where key = ?`, [k]);
    const again = await createApp(k, body).expect(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(await applications('Expiring key')).toBe(2);
  });

  it('keys are scoped to the caller', async () => {
    const k = nextKey();
    const other = await gw.token({ sub: 'another-super', role: 'super_admin', scope: 'admin:read admin:write' });
    const body = { name: 'Scoped key', application_type: 'web', scope: 'GLOBAL' };
    await createApp(k, body).expect(201);
    const theirs = await createApp(k, body, other).expect(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(await applications('Scoped key')).toBe(2);
  });

  it('PATCH replays too, and errors (4xx) are replayed as they were', async () => {
    const k = nextKey();
    const patch = (body: Record<string, unknown>) => gw.http.patch(`/api/v1/admin/tenants/${w.t1a}`).set('authorization', `Bearer ${su}`).set('idempotency-key', k).send(body);
    const first = await patch({ name: 'Renamed once' }).expect(200);
    const again = await patch({ name: 'Renamed once' }).expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.data).toEqual(first.body.data);
    const bad = nextKey();
    const invalid = () => gw.http.patch(`/api/v1/admin/tenants/${w.t1a}`).set('authorization', `Bearer ${su}`).set('idempotency-key', bad).send({ name: '' });
    const r1 = await invalid().expect(422);
    const r2 = await invalid().expect(422);
    expect(r2.body).toEqual(r1.body);
    expect(r2.headers['idempotent-replayed']).toBe('true');
  });

  it('GraphQL mutations and the management API honour the key', async () => {
    const k = nextKey();
    const mutation = { query: 'mutation($n: String!) { createPartner(input: { name: $n }) { id name } }', variables: { n: 'Idempotent partner' } };
    const send = () => gw.http.post('/graphql').set('authorization', `Bearer ${su}`).set('idempotency-key', `"${k}"`).send(mutation);
    const first = await send().expect(200);
    ok({ status: 200, data: first.body.data, errors: first.body.errors, sqlStatements: 0 });
    const again = await send().expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.data).toEqual(first.body.data);
    const mismatch = await gw.http
      .post('/graphql')
      .set('authorization', `Bearer ${su}`)
      .set('idempotency-key', `"${k}"`)
      .send({ ...mutation, variables: { n: 'Other' } })
      .expect(422);
    expect(mismatch.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');

    const mk = nextKey();
    const management = () =>
      gw.http
        .post('/v1/management/applications')
        .set('authorization', `Bearer ${su}`)
        .set('x-tenant-id', w.t1b)
        .set('idempotency-key', mk)
        .send({ app_name: 'Idempotent management app', login_uri: 'https://login.example.test' });
    const m1 = await management();
    expect(m1.status).toBeLessThan(300);
    const m2 = await management();
    expect(m2.status).toBe(m1.status);
    expect(m2.headers['idempotent-replayed']).toBe('true');
    expect(m2.body).toEqual(m1.body);
    expect(await applications('Idempotent management app')).toBe(1);
  });

  it('a malformed key is refused', async () => {
    const res = await createApp('x'.repeat(300), { name: 'Bad key', application_type: 'web', scope: 'GLOBAL' }).expect(422);
    expect(res.body.detail[0].loc).toEqual(['header', 'idempotency-key']);
    expect(await applications('Bad key')).toBe(0);
  });
});
