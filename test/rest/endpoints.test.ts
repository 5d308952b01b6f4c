import { startTestGateway, type TestGateway } from '../support/harness.js';
import { addMember, assignGroup, assignUser, buildWorld, createGroup, createUser, type World } from '../support/world.js';
import {
  APP_ASSIGNMENT_FIELDS,
  APPLICATION_FIELDS,
  ASSIGNMENT_FIELDS,
  EFFECTIVE_USER_FIELDS,
  TENANT_FIELDS,
  call,
  expectList,
  expectSingle,
  expectSnakeCase,
} from './rest-helpers.js';

/** Every endpoint of the four seed documents (25) and the SPEC §4 additions, with their success shapes. */
describe('REST endpoints', () => {
  let gw: TestGateway;
  let su: string;
  let w: World;
  let tenantAdmin: string;
  let alice: string;
  let bob: string;
  let staff: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    w = await buildWorld(gw);
    tenantAdmin = await gw.token({ sub: 'ta-1a', role: 'tenant_admin', tenant_id: w.t1a, scope: 'admin:read admin:write' });
    alice = await createUser(gw, su, w.t1a, 'alice@t1a.test');
    bob = await createUser(gw, su, w.t1a, 'bob@t1a.test');
    staff = await createGroup(gw, su, w.t1a, 'Staff');
    await addMember(gw, su, w.t1a, staff, bob);
    await assignUser(gw, su, w.t1a, alice, w.apps.global);
    await assignGroup(gw, su, w.t1a, staff, w.apps.global);
  });
  afterAll(() => gw.close());

  describe('admin-applications-api.txt', () => {
    it('GET /api/v1/admin/applications/ lists with filters and pagination', async () => {
      const res = await call(gw, 'get', '/api/v1/admin/applications/?per_page=2&page=1', su).expect(200);
      const items = expectList(res.body);
      expect(items).toHaveLength(2);
      expect(res.body.pagination).toEqual({ page: 1, per_page: 2, total_items: 6, total_pages: 3 });
      for (const field of APPLICATION_FIELDS) expect(items[0]).toHaveProperty(field);
      expectSnakeCase(res.body);
      expect(JSON.stringify(res.body)).not.toMatch(/secret"/);

      const byScope = await call(gw, 'get', '/api/v1/admin/applications/?scope=TENANT&tenant_id=' + w.t1a, su).expect(200);
      expect(byScope.body.data.map((a: { name: string }) => a.name)).toEqual(['T1A App']);
      const bySearch = await call(gw, 'get', '/api/v1/admin/applications/?search=p1%20app', su).expect(200);
      expect(bySearch.body.data.map((a: { name: string }) => a.name)).toEqual(['P1 App']);
      const byPartner = await call(gw, 'get', `/api/v1/admin/applications?partner_id=${w.p2}&application_type=web`, su).expect(200);
      expect(byPartner.body.data.map((a: { name: string }) => a.name).sort()).toEqual(['P2 App', 'T2 App']);
    });

    it('POST /api/v1/admin/applications/ creates (201) with client_id and client_secret', async () => {
      const res = await call(gw, 'post', '/api/v1/admin/applications/', tenantAdmin, {
        name: 'Portal',
        application_type: 'spa',
        redirect_uris: ['https://portal.example/cb'],
      }).expect(201);
      const data = expectSingle(res.body);
      for (const field of [...APPLICATION_FIELDS, 'client_secret']) expect(data).toHaveProperty(field);
      expect(data).toMatchObject({ name: 'Portal', application_type: 'spa', scope: 'TENANT', tenant_id: w.t1a, partner_id: null, redirect_uris: ['https://portal.example/cb'] });
      expect(data.client_secret.length).toBeGreaterThanOrEqual(32);
      expectSnakeCase(res.body);
    });

    it('GET /api/v1/admin/applications/{application_id} reads one', async () => {
      const res = await call(gw, 'get', `/api/v1/admin/applications/${w.apps.p1}`, su).expect(200);
      const data = expectSingle(res.body);
      expect(data).toMatchObject({ id: w.apps.p1, name: 'P1 App', scope: 'PARTNER', partner_id: w.p1, tenant_id: null });
      expect(data).not.toHaveProperty('client_secret');
      expect(data.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      expect(data.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    });

    it('PATCH /api/v1/admin/applications/{application_id} updates', async () => {
      const res = await call(gw, 'patch', `/api/v1/admin/applications/${w.apps.t1b}`, su, { description: 'Billing', redirect_uris: ['https://b.example/cb'] }).expect(200);
      expect(expectSingle(res.body)).toMatchObject({ id: w.apps.t1b, description: 'Billing', redirect_uris: ['https://b.example/cb'] });
    });

    it('DELETE /api/v1/admin/applications/{application_id} → 204, then 404', async () => {
      const created = await call(gw, 'post', '/api/v1/admin/applications/', su, { name: 'Doomed', application_type: 'web', scope: 'GLOBAL' }).expect(201);
      const id = created.body.data.id;
      const res = await call(gw, 'delete', `/api/v1/admin/applications/${id}`, su).expect(204);
      expect(res.text).toBe('');
      await call(gw, 'get', `/api/v1/admin/applications/${id}`, su).expect(404);
    });

    it('GET /api/v1/admin/applications/{application_id}/effective-users lists §2 items', async () => {
      const res = await call(gw, 'get', `/api/v1/admin/applications/${w.apps.global}/effective-users?tenant_id=${w.t1a}`, su).expect(200);
      const items = expectList(res.body);
      expect(items.map((i) => i.email)).toEqual(['alice@t1a.test', 'bob@t1a.test']);
      for (const field of EFFECTIVE_USER_FIELDS) expect(items[0]).toHaveProperty(field);
      expect(items[0]).toMatchObject({ id: alice, tenant_id: w.t1a, tenant_name: 'Tenant 1A', direct: true, groups: [] });
      expect(items[1]).toMatchObject({ id: bob, direct: false, groups: [{ id: staff, name: 'Staff' }] });
      expect(res.body.pagination).toEqual({ page: 1, per_page: 20, total_items: 2, total_pages: 1 });
    });

    it('an application token reads its own effective users (no admin:read), nothing else', async () => {
      const app = await call(gw, 'post', '/api/v1/admin/applications/', su, { name: 'Syncer', application_type: 'service', scope: 'GLOBAL' }).expect(201);
      const issued = await gw.http
        .post('/oauth/token')
        .send({ grant_type: 'client_credentials', client_id: app.body.data.client_id, client_secret: app.body.data.client_secret })
        .expect(200);
      const appToken = issued.body.access_token;
      const own = await call(gw, 'get', `/api/v1/admin/applications/${app.body.data.id}/effective-users`, appToken).expect(200);
      expect(expectList(own.body)).toEqual([]);
      const other = await call(gw, 'get', `/api/v1/admin/applications/${w.apps.global}/effective-users`, appToken);
      expect([403, 404]).toContain(other.status);
      expect(other.body).toEqual({ detail: expect.any(String) });
    });

    it('POST /api/v1/admin/applications/{application_id}/rotate-secret → {id, client_id, client_secret, rotated_at}', async () => {
      const res = await call(gw, 'post', `/api/v1/admin/applications/${w.apps.t1a}/rotate-secret`, su).expect(200);
      const data = expectSingle(res.body);
      expect(Object.keys(data).sort()).toEqual(['client_id', 'client_secret', 'id', 'rotated_at']);
      expect(data.id).toBe(w.apps.t1a);
    });
  });

  describe('admin-tenants-api.txt', () => {
    it('GET /api/v1/admin/tenants/ lists with search, status and partner_id filters', async () => {
      const res = await call(gw, 'get', '/api/v1/admin/tenants/', su).expect(200);
      const items = expectList(res.body);
      expect(items.length).toBeGreaterThanOrEqual(4);
      for (const field of TENANT_FIELDS) expect(items[0]).toHaveProperty(field);
      expect(Object.keys(items[0].settings).sort()).toEqual(['mfa_methods', 'mfa_required', 'password_policy', 'session_timeout']);
      expectSnakeCase(res.body);
      const p1 = await call(gw, 'get', `/api/v1/admin/tenants?partner_id=${w.p1}&status=active`, su).expect(200);
      expect(p1.body.data.map((t: { name: string }) => t.name).sort()).toEqual(['Tenant 1A', 'Tenant 1B']);
      const search = await call(gw, 'get', '/api/v1/admin/tenants/?search=zero', su).expect(200);
      expect(search.body.data.map((t: { name: string }) => t.name)).toEqual(['Tenant Zero']);
    });

    it('POST /api/v1/admin/tenants/ creates (201) with settings', async () => {
      const res = await call(gw, 'post', '/api/v1/admin/tenants/', su, {
        name: 'Acme',
        partner_id: w.p1,
        settings: { mfa_required: true, mfa_methods: ['totp'], session_timeout: 60, password_policy: { min_length: 12 } },
      }).expect(201);
      const data = expectSingle(res.body);
      expect(data).toMatchObject({ name: 'Acme', slug: 'acme', status: 'active', partner_id: w.p1 });
      expect(data.settings).toMatchObject({ mfa_required: true, mfa_methods: ['totp'], session_timeout: 60, password_policy: { min_length: 12 } });
    });

    it('GET /api/v1/admin/tenants/{tenant_id} reads one', async () => {
      const res = await call(gw, 'get', `/api/v1/admin/tenants/${w.t1a}`, tenantAdmin).expect(200);
      expect(expectSingle(res.body)).toMatchObject({ id: w.t1a, name: 'Tenant 1A', partner_id: w.p1 });
    });

    it('PATCH /api/v1/admin/tenants/{tenant_id} replaces only the settings keys named', async () => {
      await call(gw, 'patch', `/api/v1/admin/tenants/${w.t1b}`, su, { settings: { mfa_required: true } }).expect(200);
      const res = await call(gw, 'patch', `/api/v1/admin/tenants/${w.t1b}`, su, { name: 'Tenant 1B renamed', settings: { session_timeout: 30 } }).expect(200);
      expect(expectSingle(res.body)).toMatchObject({ name: 'Tenant 1B renamed', settings: { mfa_required: true, session_timeout: 30 } });
    });

    it('DELETE /api/v1/admin/tenants/{tenant_id} → 204, then 404', async () => {
      const created = await call(gw, 'post', '/api/v1/admin/tenants/', su, { name: 'Short lived' }).expect(201);
      const res = await call(gw, 'delete', `/api/v1/admin/tenants/${created.body.data.id}`, su).expect(204);
      expect(res.text).toBe('');
      await call(gw, 'get', `/api/v1/admin/tenants/${created.body.data.id}`, su).expect(404);
    });
  });

  describe('app-assignments-api.md', () => {
    const base = () => `/api/v1/tenants/${w.t1a}`;

    it('GET .../applications/{application_id}/assignees → {application_id, users, groups, total_users, total_groups}', async () => {
      const res = await call(gw, 'get', `${base()}/applications/${w.apps.global}/assignees`, tenantAdmin).expect(200);
      expect(expectSingle(res.body)).toEqual({ application_id: w.apps.global, users: [alice], groups: [staff], total_users: 1, total_groups: 1 });
    });

    it("GET .../applications/{application_id}/effective-users → list envelope of the tenant's users", async () => {
      const res = await call(gw, 'get', `${base()}/applications/${w.apps.global}/effective-users?per_page=1`, tenantAdmin).expect(200);
      const items = expectList(res.body);
      expect(items.map((i) => i.email)).toEqual(['alice@t1a.test']);
      expect(res.body.pagination).toEqual({ page: 1, per_page: 1, total_items: 2, total_pages: 2 });
    });

    it('GET .../groups/{group_id}/applications → data: [AppAssignment]', async () => {
      const res = await call(gw, 'get', `${base()}/groups/${staff}/applications`, tenantAdmin).expect(200);
      const data = expectSingle(res.body);
      expect(data).toHaveLength(1);
      expect(Object.keys(data[0]).sort()).toEqual([...APP_ASSIGNMENT_FIELDS].sort());
      expect(data[0]).toMatchObject({ application_id: w.apps.global, application_name: 'Global App' });
    });

    it('POST .../groups/{group_id}/applications assigns (201, idempotent)', async () => {
      const first = await call(gw, 'post', `${base()}/groups/${staff}/applications`, tenantAdmin, { application_id: w.apps.p1 }).expect(201);
      const data = expectSingle(first.body);
      for (const field of [...ASSIGNMENT_FIELDS, 'group_id']) expect(data).toHaveProperty(field);
      expect(data).toMatchObject({ tenant_id: w.t1a, application_id: w.apps.p1, group_id: staff, user_id: null });
      const again = await call(gw, 'post', `${base()}/groups/${staff}/applications`, tenantAdmin, { application_id: w.apps.p1 }).expect(201);
      expect(again.body.data.id).toBe(data.id);
    });

    it('DELETE .../groups/{group_id}/applications/{application_id} → 204, then 404', async () => {
      await call(gw, 'post', `${base()}/groups/${staff}/applications`, tenantAdmin, { application_id: w.apps.t1a }).expect(201);
      const res = await call(gw, 'delete', `${base()}/groups/${staff}/applications/${w.apps.t1a}`, tenantAdmin).expect(204);
      expect(res.text).toBe('');
      const again = await call(gw, 'delete', `${base()}/groups/${staff}/applications/${w.apps.t1a}`, tenantAdmin).expect(404);
      expect(typeof again.body.detail).toBe('string');
    });

    it('GET .../users/{user_id}/applications with include_group_assignments', async () => {
      const res = await call(gw, 'get', `${base()}/users/${bob}/applications`, tenantAdmin).expect(200);
      const data = expectSingle(res.body);
      expect(Object.keys(data).sort()).toEqual(['applications', 'total_count', 'user_id']);
      expect(data.user_id).toBe(bob);
      const global = data.applications.find((a: { application_id: string }) => a.application_id === w.apps.global);
      expect(global).toMatchObject({ assignment_type: 'group', assigned_via: staff });
      expect(data.total_count).toBe(data.applications.length);
      const direct = await call(gw, 'get', `${base()}/users/${bob}/applications?include_group_assignments=false`, tenantAdmin).expect(200);
      expect(direct.body.data).toEqual({ user_id: bob, applications: [], total_count: 0 });
    });

    it('POST .../users/{user_id}/applications assigns (201)', async () => {
      const res = await call(gw, 'post', `${base()}/users/${bob}/applications`, tenantAdmin, { application_id: w.apps.t1a }).expect(201);
      const data = expectSingle(res.body);
      for (const field of [...ASSIGNMENT_FIELDS, 'user_id']) expect(data).toHaveProperty(field);
      expect(data).toMatchObject({ user_id: bob, application_id: w.apps.t1a, assignment_type: 'direct', group_id: null });
    });

    it('POST .../users/{user_id}/applications/bulk assigns all (201) or nothing (404)', async () => {
      const carol = await createUser(gw, su, w.t1a, 'carol@t1a.test');
      const res = await call(gw, 'post', `${base()}/users/${carol}/applications/bulk`, tenantAdmin, { application_ids: [w.apps.global, w.apps.p1] }).expect(201);
      const data = expectSingle(res.body);
      expect(data.user_id).toBe(carol);
      expect(data.assigned.map((a: { application_id: string }) => a.application_id).sort()).toEqual([w.apps.global, w.apps.p1].sort());
      // t2's application is not available to t1a: nothing is assigned.
      await call(gw, 'post', `${base()}/users/${carol}/applications/bulk`, tenantAdmin, { application_ids: [w.apps.t1a, w.apps.t2] }).expect(404);
      const after = await call(gw, 'get', `${base()}/users/${carol}/applications?include_group_assignments=false`, tenantAdmin).expect(200);
      expect(after.body.data.total_count).toBe(2);
    });

    it('DELETE .../users/{user_id}/applications/{application_id} → 204, then 404', async () => {
      await call(gw, 'post', `${base()}/users/${alice}/applications`, tenantAdmin, { application_id: w.apps.p1 }).expect(201);
      const res = await call(gw, 'delete', `${base()}/users/${alice}/applications/${w.apps.p1}`, tenantAdmin).expect(204);
      expect(res.text).toBe('');
      await call(gw, 'delete', `${base()}/users/${alice}/applications/${w.apps.p1}`, tenantAdmin).expect(404);
    });
  });

  describe('management-apps-api.txt', () => {
    let appId: string;

    it('POST /v1/management/applications creates (201) {result} with client_id and client_secret', async () => {
      const res = await call(gw, 'post', '/v1/management/applications', tenantAdmin, {
        app_name: 'Backoffice',
        app_description: 'Sync job',
        first_client_authentication_protocol: 'oidc',
        first_client: { grantTypes: ['client_credentials'] },
        subdomain: 'backoffice',
        custom_domain: 'bo.example.com',
        pkce: 'enforcePkceInsteadOfClientCredentials',
      }).expect(201);
      expect(Object.keys(res.body)).toEqual(['result']);
      const result = res.body.result;
      expect(result).toMatchObject({
        app_name: 'Backoffice',
        app_description: 'Sync job',
        tenant_id: w.t1a,
        subdomain: 'backoffice',
        custom_domain: 'bo.example.com',
        invite_member_email_expiration_minutes: 2880,
        pkce: 'enforcePkceInsteadOfClientCredentials',
        first_client: { grantTypes: ['client_credentials'] },
      });
      expect(typeof result.client_id).toBe('string');
      expect(result.client_secret.length).toBeGreaterThanOrEqual(32);
      appId = result.id;
    });

    it("GET /v1/management/applications lists the tenant's management apps ({result: [...]})", async () => {
      const res = await call(gw, 'get', '/v1/management/applications', tenantAdmin).expect(200);
      expect(res.body.result.map((a: { id: string }) => a.id)).toEqual([appId]);
      expect(res.body.result[0]).not.toHaveProperty('client_secret');
      // A super admin names the tenant in x-tenant-id.
      const asSuper = await call(gw, 'get', '/v1/management/applications', su, undefined, { 'x-tenant-id': w.t1a }).expect(200);
      expect(asSuper.body.result.map((a: { id: string }) => a.id)).toEqual([appId]);
    });

    it('PUT /v1/management/applications/{app_id} replaces given fields, objects whole', async () => {
      const res = await call(gw, 'put', `/v1/management/applications/${appId}`, tenantAdmin, { app_name: 'Backoffice 2', first_client: { redirectUris: [] } }).expect(200);
      expect(res.body.result).toMatchObject({ id: appId, app_name: 'Backoffice 2', app_description: 'Sync job', first_client: { redirectUris: [] } });
    });

    it('DELETE /v1/management/applications/{app_id} → 204, then 404', async () => {
      const res = await call(gw, 'delete', `/v1/management/applications/${appId}`, tenantAdmin).expect(204);
      expect(res.text).toBe('');
      const again = await call(gw, 'delete', `/v1/management/applications/${appId}`, tenantAdmin).expect(404);
      expect(again.body).toEqual({ message: expect.any(String), error_code: 404 });
    });
  });

  describe('SPEC §4 additions', () => {
    it('partners: list, create (201), get, PATCH, DELETE (204)', async () => {
      const list = await call(gw, 'get', '/api/v1/admin/partners/?search=partner', su).expect(200);
      expect(expectList(list.body).map((p) => p.name)).toEqual(['Partner One', 'Partner Two']);
      const created = await call(gw, 'post', '/api/v1/admin/partners/', su, { name: 'Partner Three' }).expect(201);
      const partner = expectSingle(created.body);
      expect(Object.keys(partner).sort()).toEqual(['created_at', 'id', 'name', 'updated_at']);
      await call(gw, 'get', `/api/v1/admin/partners/${partner.id}`, su).expect(200);
      const patched = await call(gw, 'patch', `/api/v1/admin/partners/${partner.id}`, su, { name: 'Partner 3' }).expect(200);
      expect(patched.body.data.name).toBe('Partner 3');
      await call(gw, 'delete', `/api/v1/admin/partners/${partner.id}`, su).expect(204);
      await call(gw, 'get', `/api/v1/admin/partners/${partner.id}`, su).expect(404);
    });

    it('users: list, create (201), get, PATCH, DELETE (204)', async () => {
      const base = `/api/v1/tenants/${w.t1a}/users`;
      const created = await call(gw, 'post', base, tenantAdmin, { email: 'dave@t1a.test', name: 'Dave' }).expect(201);
      const user = expectSingle(created.body);
      expect(user).toMatchObject({ email: 'dave@t1a.test', name: 'Dave', status: 'active', tenant_id: w.t1a });
      const list = await call(gw, 'get', `${base}?search=dave`, tenantAdmin).expect(200);
      expect(expectList(list.body).map((u) => u.id)).toEqual([user.id]);
      const disabled = await call(gw, 'get', `${base}?status=disabled`, tenantAdmin).expect(200);
      expect(disabled.body.data).toEqual([]);
      await call(gw, 'get', `${base}/${user.id}`, tenantAdmin).expect(200);
      const patched = await call(gw, 'patch', `${base}/${user.id}`, tenantAdmin, { status: 'disabled' }).expect(200);
      expect(patched.body.data.status).toBe('disabled');
      await call(gw, 'delete', `${base}/${user.id}`, tenantAdmin).expect(204);
      await call(gw, 'get', `${base}/${user.id}`, tenantAdmin).expect(404);
    });

    it('groups: list, create (201), get, PATCH, DELETE (204)', async () => {
      const base = `/api/v1/tenants/${w.t1a}/groups`;
      const created = await call(gw, 'post', base, tenantAdmin, { name: 'Ops', description: 'Operations' }).expect(201);
      const group = expectSingle(created.body);
      expect(group).toMatchObject({ name: 'Ops', description: 'Operations', tenant_id: w.t1a });
      const list = await call(gw, 'get', `${base}?search=ops`, tenantAdmin).expect(200);
      expect(expectList(list.body).map((g) => g.id)).toEqual([group.id]);
      await call(gw, 'get', `${base}/${group.id}`, tenantAdmin).expect(200);
      const patched = await call(gw, 'patch', `${base}/${group.id}`, tenantAdmin, { description: 'Ops team' }).expect(200);
      expect(patched.body.data.description).toBe('Ops team');
      await call(gw, 'delete', `${base}/${group.id}`, tenantAdmin).expect(204);
      await call(gw, 'get', `${base}/${group.id}`, tenantAdmin).expect(404);
    });

    it('members: POST (201, idempotent), GET (list), DELETE (204)', async () => {
      const base = `/api/v1/tenants/${w.t1a}/groups/${staff}/members`;
      const added = await call(gw, 'post', base, tenantAdmin, { user_id: alice }).expect(201);
      expect(expectSingle(added.body)).toMatchObject({ id: alice, email: 'alice@t1a.test' });
      await call(gw, 'post', base, tenantAdmin, { user_id: alice }).expect(201);
      const list = await call(gw, 'get', base, tenantAdmin).expect(200);
      expect(expectList(list.body).map((u) => u.email)).toEqual(['alice@t1a.test', 'bob@t1a.test']);
      await call(gw, 'delete', `${base}/${alice}`, tenantAdmin).expect(204);
      await call(gw, 'delete', `${base}/${alice}`, tenantAdmin).expect(404);
    });
  });

  it('echoes X-Request-Id in the header and meta.request_id; the trailing-slash-less form works', async () => {
    const res = await call(gw, 'get', '/api/v1/admin/tenants', su, undefined, { 'x-request-id': 'req-abc-123' }).expect(200);
    expect(res.headers['x-request-id']).toBe('req-abc-123');
    expect(res.body.meta.request_id).toBe('req-abc-123');
    const generated = await call(gw, 'get', `/api/v1/admin/tenants/${w.t1a}/`, su).expect(200);
    expect(generated.body.meta.request_id).toBe(generated.headers['x-request-id']);
  });
});
