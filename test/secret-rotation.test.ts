import { codeOf, startTestGateway, type TestGateway } from './support/harness.js';
import { buildWorld, createApplication, type World } from './support/world.js';
import { call, expectSingle } from './rest/rest-helpers.js';

/**
 * Issue 12 part 2: rotate-secret with a grace period (both secrets work at /oauth/token until it
 * ends), revoke, and last_used_at written at most once a minute. The clock is moved with SQL
 * (expires_at / last_used_at set into the past), never by sleeping.
 */
let gw: TestGateway;
let su: string;
let w: World;

beforeAll(async () => {
  gw = await startTestGateway();
  su = await gw.superToken();
  w = await buildWorld(gw);
});
afterAll(() => gw.close());

const tokenRequest = (clientId: string, clientSecret: string) =>
  gw.http.post('/oauth/token').type('form').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });

async function sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
  return gw.db.orm.em.fork().execute(text, params);
}

async function rotate(id: string, body?: Record<string, unknown>) {
  const res = await call(gw, 'post', `/api/v1/admin/applications/${id}/rotate-secret`, su, body);
  expect(res.status).toBe(200);
  return expectSingle(res.body) as { client_secret: string; secret_id: string; previous_secret_expires_at: string | null; rotated_at: string };
}

async function secretsOf(id: string) {
  const res = await call(gw, 'get', `/api/v1/admin/applications/${id}`, su);
  expect(res.status).toBe(200);
  return expectSingle(res.body).secrets as { id: string; created_at: string; expires_at: string | null; last_used_at: string | null }[];
}

describe('rotate with a grace period', () => {
  test('old and new secrets both work until the grace period ends, then only the new one', async () => {
    const app = await createApplication(gw, su, { name: 'Graceful', scope: 'GLOBAL', applicationType: 'service' });
    expect((await tokenRequest(app.clientId, app.clientSecret)).status).toBe(200);

    const rotated = await rotate(app.id, { grace_period_seconds: 3600 });
    const expiresAt = new Date(rotated.previous_secret_expires_at!).getTime();
    expect(expiresAt - new Date(rotated.rotated_at).getTime()).toBeGreaterThan(3500_000);
    expect(expiresAt - new Date(rotated.rotated_at).getTime()).toBeLessThanOrEqual(3600_000 + 5_000);

    // During the grace period: both secrets.
    const oldDuring = await tokenRequest(app.clientId, app.clientSecret);
    const newDuring = await tokenRequest(app.clientId, rotated.client_secret);
    expect([oldDuring.status, newDuring.status]).toEqual([200, 200]);
    // A token obtained with the old secret ends with the grace period, and works meanwhile.
    expect(oldDuring.body.expires_in).toBeLessThanOrEqual(3600);
    const withOld = await gw.gql('query($id: ID!) { application(id: $id) { id } }', { id: app.id }, oldDuring.body.access_token);
    expect(withOld.data?.application?.id).toBe(app.id);

    const during = await secretsOf(app.id);
    expect(during).toHaveLength(2);
    expect(during[0]).toEqual({ id: rotated.secret_id, created_at: expect.any(String), expires_at: null, last_used_at: expect.any(String) });
    expect(during[1].expires_at).toEqual(expect.any(String));
    for (const secret of during) expect(Object.keys(secret).sort()).toEqual(['created_at', 'expires_at', 'id', 'last_used_at']);

    // The grace period ends (moved into the past).
    await sql(`update application_secret set expires_at = now() - interval '1 second' where application_id = ? and expires_at is not null`, [app.id]);
    const oldAfter = await tokenRequest(app.clientId, app.clientSecret);
    const newAfter = await tokenRequest(app.clientId, rotated.client_secret);
    expect([oldAfter.status, newAfter.status]).toEqual([401, 200]);
    expect(oldAfter.body.error).toBe('invalid_client');
    expect(await secretsOf(app.id)).toHaveLength(1);
  });

  test('without a grace period (no body, or 0) the old secret fails at once, as before', async () => {
    const app = await createApplication(gw, su, { name: 'Abrupt', scope: 'GLOBAL', applicationType: 'service' });
    const first = await rotate(app.id);
    // The answer is what it always was: no secret_id / previous_secret_expires_at without a grace period.
    expect(Object.keys(first).sort()).toEqual(['client_id', 'client_secret', 'id', 'rotated_at']);
    expect((await tokenRequest(app.clientId, app.clientSecret)).status).toBe(401);
    const second = await rotate(app.id, { grace_period_seconds: 0 });
    expect((await tokenRequest(app.clientId, first.client_secret)).status).toBe(401);
    expect((await tokenRequest(app.clientId, second.client_secret)).status).toBe(200);
    expect(await secretsOf(app.id)).toHaveLength(1);
  });

  test('tokens issued before a rotation stop working, grace or not', async () => {
    const app = await createApplication(gw, su, { name: 'Stamped', scope: 'GLOBAL', applicationType: 'service' });
    const before = (await tokenRequest(app.clientId, app.clientSecret)).body.access_token;
    await rotate(app.id, { grace_period_seconds: 600 });
    const result = await gw.gql('query($id: ID!) { application(id: $id) { id } }', { id: app.id }, before);
    expect(codeOf(result)).toBe('UNAUTHENTICATED');
  });

  test('out of range grace periods are refused, naming the field', async () => {
    const app = await createApplication(gw, su, { name: 'Bounded', scope: 'GLOBAL' });
    for (const bad of [-1, 604801, 1.5, 'soon']) {
      const res = await call(gw, 'post', `/api/v1/admin/applications/${app.id}/rotate-secret`, su, { grace_period_seconds: bad });
      expect(res.status).toBe(422);
      expect(res.body.detail[0].loc).toEqual(['body', 'grace_period_seconds']);
    }
    const result = await gw.gql('mutation($id: ID!) { rotateApplicationSecret(id: $id, gracePeriodSeconds: 604801) { id } }', { id: app.id }, su);
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions.fields![0].path).toEqual(['gracePeriodSeconds']);
    expect((await tokenRequest(app.clientId, app.clientSecret)).status).toBe(200);
  });

  test('the audit event records the grace period, never a secret', async () => {
    const app = await createApplication(gw, su, { name: 'Audited', scope: 'GLOBAL' });
    const rotated = await rotate(app.id, { grace_period_seconds: 120 });
    const [event] = await sql(`select diff from audit_event where target_id = ? and action = 'application.rotate_secret'`, [app.id]);
    const diff = typeof event.diff === 'string' ? JSON.parse(event.diff) : event.diff;
    expect(diff).toEqual({ gracePeriodSeconds: 120, secretId: rotated.secret_id });
  });
});

describe('revoke', () => {
  test('ends a grace period early; the current secret cannot be revoked', async () => {
    const app = await createApplication(gw, su, { name: 'Revocable', scope: 'GLOBAL', applicationType: 'service' });
    const rotated = await rotate(app.id, { grace_period_seconds: 3600 });
    const previous = (await secretsOf(app.id)).find((s) => s.expires_at !== null)!;

    const current = await call(gw, 'post', `/api/v1/admin/applications/${app.id}/secrets/${rotated.secret_id}/revoke`, su);
    expect(current.status).toBe(409);
    expect(current.body.detail).toMatch(/current secret cannot be revoked/);

    const elsewhere = await call(gw, 'post', `/api/v1/admin/applications/${w.apps.global}/secrets/${previous.id}/revoke`, su);
    expect(elsewhere.status).toBe(404);

    const res = await call(gw, 'post', `/api/v1/admin/applications/${app.id}/secrets/${previous.id}/revoke`, su);
    expect(res.status).toBe(200);
    expect(expectSingle(res.body).secrets.map((s: any) => s.id)).toEqual([rotated.secret_id]);
    expect((await tokenRequest(app.clientId, app.clientSecret)).status).toBe(401);
    expect((await tokenRequest(app.clientId, rotated.client_secret)).status).toBe(200);

    // Again: nothing left to end, same answer.
    const again = await gw.gql('mutation($id: ID!) { revokeSecret(id: $id) { id secrets { id } } }', { id: previous.id }, su);
    expect(again.data.revokeSecret.secrets).toEqual([{ id: rotated.secret_id }]);
  });

  test("rights follow the application: a partner admin cannot revoke a GLOBAL application's secret (403)", async () => {
    const app = await createApplication(gw, su, { name: 'Global Secrets', scope: 'GLOBAL' });
    await rotate(app.id, { grace_period_seconds: 3600 });
    const previous = (await secretsOf(app.id)).find((s) => s.expires_at !== null)!;
    const pa1 = await gw.token({ sub: 'pa1', role: 'partner_admin', partner_id: w.p1, scope: 'admin:read admin:write' });
    expect((await call(gw, 'post', `/api/v1/admin/applications/${app.id}/secrets/${previous.id}/revoke`, pa1)).status).toBe(403);
    expect((await call(gw, 'post', `/api/v1/admin/applications/${app.id}/rotate-secret`, pa1, { grace_period_seconds: 60 })).status).toBe(403);
  });
});

describe('last_used_at', () => {
  test('written at most once a minute per secret', async () => {
    const app = await createApplication(gw, su, { name: 'Busy', scope: 'GLOBAL', applicationType: 'service' });
    const lastUsed = async () => (await sql(`select last_used_at from application_secret where application_id = ?`, [app.id]))[0].last_used_at;
    expect(await lastUsed()).toBeNull();

    expect((await tokenRequest(app.clientId, app.clientSecret)).status).toBe(200);
    const first = new Date(await lastUsed()).getTime();
    expect(first).toBeGreaterThan(0);
    // Within the minute: the second request writes nothing.
    expect((await tokenRequest(app.clientId, app.clientSecret)).status).toBe(200);
    expect(new Date(await lastUsed()).getTime()).toBe(first);

    // A minute later (moved into the past): written again.
    await sql(`update application_secret set last_used_at = last_used_at - interval '2 minutes' where application_id = ?`, [app.id]);
    const moved = new Date(await lastUsed()).getTime();
    expect((await tokenRequest(app.clientId, app.clientSecret)).status).toBe(200);
    expect(new Date(await lastUsed()).getTime()).toBeGreaterThan(moved);
    // A failed attempt is not a use.
    await sql(`update application_secret set last_used_at = null where application_id = ?`, [app.id]);
    expect((await tokenRequest(app.clientId, 'wrong-secret')).status).toBe(401);
    expect(await lastUsed()).toBeNull();
  });

  test('GraphQL Application.secrets shows dates only (admins)', async () => {
    const data = await gw.gql('query($id: ID!) { application(id: $id) { secrets { id createdAt expiresAt lastUsedAt } } }', { id: w.apps.p1 }, su);
    expect(data.data.application.secrets).toEqual([{ id: expect.any(String), createdAt: expect.any(String), expiresAt: null, lastUsedAt: null }]);
  });
});
