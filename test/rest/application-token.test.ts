import { startTestGateway, type TestGateway } from '../support/harness.js';
import { addMember, assignGroup, assignUser, buildWorld, createGroup, createUser, type World } from '../support/world.js';
import { call, expectList, expectSingle } from './rest-helpers.js';

/**
 * SPEC §3: an ordinary application's token (POST /oauth/token) reads its own application and its own
 * effective users across every tenant of its scope — without admin:read — and nothing else.
 */
describe('an application syncing its users over REST', () => {
  let gw: TestGateway;
  let su: string;
  let w: World;
  let appToken: string;
  let appId: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    w = await buildWorld(gw);
    const created = await call(gw, 'post', '/api/v1/admin/applications/', su, { name: 'HR Sync', application_type: 'service', scope: 'PARTNER', partner_id: w.p1 }).expect(201);
    appId = created.body.data.id;
    const ann = await createUser(gw, su, w.t1a, 'ann@t1a.test');
    const ben = await createUser(gw, su, w.t1b, 'ben@t1b.test');
    const cat = await createUser(gw, su, w.t1b, 'cat@t1b.test');
    const crew = await createGroup(gw, su, w.t1b, 'Crew');
    await addMember(gw, su, w.t1b, crew, cat);
    await assignUser(gw, su, w.t1a, ann, appId);
    await assignUser(gw, su, w.t1b, ben, appId);
    await assignGroup(gw, su, w.t1b, crew, appId);
    const issued = await gw.http
      .post('/oauth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: created.body.data.client_id, client_secret: created.body.data.client_secret })
      .expect(200);
    appToken = issued.body.access_token;
  });
  afterAll(() => gw.close());

  it('reads its own application', async () => {
    const res = await call(gw, 'get', `/api/v1/admin/applications/${appId}`, appToken).expect(200);
    expect(expectSingle(res.body)).toMatchObject({ id: appId, name: 'HR Sync', scope: 'PARTNER' });
  });

  it('reads its effective users in every tenant of its scope, with the tenant of each', async () => {
    const res = await call(gw, 'get', `/api/v1/admin/applications/${appId}/effective-users`, appToken).expect(200);
    expect(expectList(res.body).map((u) => [u.email, u.tenant_name, u.direct, u.groups.map((g: { name: string }) => g.name)])).toEqual([
      ['ann@t1a.test', 'Tenant 1A', true, []],
      ['ben@t1b.test', 'Tenant 1B', true, []],
      ['cat@t1b.test', 'Tenant 1B', false, ['Crew']],
    ]);
    expect(res.body.pagination.total_items).toBe(3);
  });

  it('filters by tenant, on both paths', async () => {
    const filtered = await call(gw, 'get', `/api/v1/admin/applications/${appId}/effective-users?tenant_id=${w.t1b}`, appToken).expect(200);
    expect(expectList(filtered.body).map((u) => u.email)).toEqual(['ben@t1b.test', 'cat@t1b.test']);
    const scoped = await call(gw, 'get', `/api/v1/tenants/${w.t1a}/applications/${appId}/effective-users`, appToken).expect(200);
    expect(expectList(scoped.body).map((u) => u.email)).toEqual(['ann@t1a.test']);
  });

  it('reads nothing else', async () => {
    await call(gw, 'get', `/api/v1/admin/applications/${w.apps.global}`, appToken).expect(404);
    await call(gw, 'get', `/api/v1/admin/applications/${w.apps.global}/effective-users`, appToken).expect(404);
    await call(gw, 'get', '/api/v1/admin/applications/', appToken).expect(403);
    await call(gw, 'get', '/api/v1/admin/tenants/', appToken).expect(403);
    await call(gw, 'get', `/api/v1/tenants/${w.t1a}/users`, appToken).expect(403);
    await call(gw, 'get', `/api/v1/tenants/${w.t1a}/applications/${appId}/assignees`, appToken).expect(403);
    await call(gw, 'patch', `/api/v1/admin/applications/${appId}`, appToken, { name: 'Renamed' }).expect(403);
    await call(gw, 'post', `/api/v1/admin/applications/${appId}/rotate-secret`, appToken).expect(403);
  });
});
