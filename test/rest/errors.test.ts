import { startTestGateway, type TestGateway } from '../support/harness.js';
import { buildWorld, createUser, type World } from '../support/world.js';
import { call } from './rest-helpers.js';

const ZERO_UUID = '00000000-0000-4000-8000-000000000000';

/** The error shapes of SPEC §4: FastAPI-style 422 lists, `{detail}` for the rest, the management API's own style. */
describe('REST errors', () => {
  let gw: TestGateway;
  let su: string;
  let w: World;
  let tenantAdmin: string;
  let partnerAdmin: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    w = await buildWorld(gw);
    tenantAdmin = await gw.token({ sub: 'ta', role: 'tenant_admin', tenant_id: w.t1a, scope: 'admin:read admin:write' });
    partnerAdmin = await gw.token({ sub: 'pa', role: 'partner_admin', partner_id: w.p1, scope: 'admin:read admin:write' });
  });
  afterAll(() => gw.close());

  const detailOf = (body: { detail: { loc: (string | number)[]; msg: string; type: string }[] }) => {
    expect(Array.isArray(body.detail)).toBe(true);
    for (const issue of body.detail) {
      expect(Object.keys(issue).sort()).toEqual(['loc', 'msg', 'type']);
      expect(typeof issue.msg).toBe('string');
    }
    return body.detail;
  };

  describe('422', () => {
    it('malformed JSON', async () => {
      const res = await gw.http.post('/api/v1/admin/tenants/').set('authorization', `Bearer ${su}`).set('content-type', 'application/json').send('{"name": ').expect(422);
      expect(detailOf(res.body)).toEqual([expect.objectContaining({ loc: ['body'], type: 'json_invalid' })]);
    });

    it('missing required field', async () => {
      const res = await call(gw, 'post', '/api/v1/admin/applications/', su, { application_type: 'web' }).expect(422);
      expect(detailOf(res.body)).toEqual([{ loc: ['body', 'name'], msg: 'Field required', type: 'missing' }]);
    });

    it('wrong types, all reported at once', async () => {
      const res = await call(gw, 'post', '/api/v1/admin/applications/', su, { name: 5, application_type: 'web', redirect_uris: 'https://x' }).expect(422);
      const detail = detailOf(res.body);
      expect(detail.map((i) => i.loc)).toEqual(
        expect.arrayContaining([
          ['body', 'name'],
          ['body', 'redirect_uris'],
        ]),
      );
      expect(detail.find((i) => i.loc[1] === 'name')!.type).toBe('string_type');
    });

    it('unknown enum value', async () => {
      const res = await call(gw, 'post', '/api/v1/admin/applications/', su, { name: 'X', application_type: 'desktop' }).expect(422);
      expect(detailOf(res.body)).toEqual([expect.objectContaining({ loc: ['body', 'application_type'], type: 'enum' })]);
      const q = await call(gw, 'get', '/api/v1/admin/applications/?scope=WORLD', su).expect(422);
      expect(detailOf(q.body)[0]).toMatchObject({ loc: ['query', 'scope'], type: 'enum' });
    });

    it('bad UUID in the path, the query and the body', async () => {
      const path = await call(gw, 'get', '/api/v1/tenants/not-a-uuid/users', su).expect(422);
      expect(detailOf(path.body)).toEqual([{ loc: ['path', 'tenant_id'], msg: 'Input should be a valid UUID', type: 'uuid_parsing' }]);
      const query = await call(gw, 'get', '/api/v1/admin/applications/?tenant_id=42', su).expect(422);
      expect(detailOf(query.body)[0]).toMatchObject({ loc: ['query', 'tenant_id'], type: 'uuid_parsing' });
      const user = await createUser(gw, su, w.t1a, 'u@t1a.test');
      const body = await call(gw, 'post', `/api/v1/tenants/${w.t1a}/users/${user}/applications/bulk`, su, { application_ids: [w.apps.global, 'nope'] }).expect(422);
      expect(detailOf(body.body)[0]).toMatchObject({ loc: ['body', 'application_ids', 1], type: 'uuid_parsing' });
    });

    it('page / per_page out of range or not integers', async () => {
      const perPage = await call(gw, 'get', '/api/v1/admin/tenants/?per_page=101', su).expect(422);
      expect(detailOf(perPage.body)).toEqual([expect.objectContaining({ loc: ['query', 'per_page'], type: 'less_than_equal' })]);
      const page = await call(gw, 'get', '/api/v1/admin/applications/?page=0', su).expect(422);
      expect(detailOf(page.body)).toEqual([expect.objectContaining({ loc: ['query', 'page'], type: 'greater_than_equal' })]);
      const notInt = await call(gw, 'get', `/api/v1/tenants/${w.t1a}/users?per_page=ten`, su).expect(422);
      expect(detailOf(notInt.body)[0].loc).toEqual(['query', 'per_page']);
    });

    it('a page beyond what a GraphQL Int holds is refused as the query parameter, not the body', async () => {
      for (const page of ['2147483648', '99999999999999999999']) {
        const res = await call(gw, 'get', `/api/v1/admin/applications/?page=${page}`, su).expect(422);
        expect(detailOf(res.body)).toEqual([expect.objectContaining({ loc: ['query', 'page'], type: 'less_than_equal' })]);
      }
      const last = await call(gw, 'get', '/api/v1/admin/applications/?page=2147483647', su).expect(200);
      expect(last.body.data).toEqual([]);
    });

    it('include_group_assignments other than true/false', async () => {
      const user = await createUser(gw, su, w.t1a, 'flag@t1a.test');
      const res = await call(gw, 'get', `/api/v1/tenants/${w.t1a}/users/${user}/applications?include_group_assignments=maybe`, su).expect(422);
      expect(detailOf(res.body)[0]).toMatchObject({ loc: ['query', 'include_group_assignments'], type: 'bool_parsing' });
    });

    it('tenant settings: unknown keys and wrong types', async () => {
      const unknown = await call(gw, 'patch', `/api/v1/admin/tenants/${w.t1a}`, su, { settings: { mfa_required: true, colour: 'blue' } }).expect(422);
      expect(detailOf(unknown.body)).toEqual([expect.objectContaining({ loc: ['body', 'settings', 'colour'], type: 'extra_forbidden' })]);
      const wrong = await call(gw, 'patch', `/api/v1/admin/tenants/${w.t1a}`, su, { settings: { session_timeout: 'long', password_policy: { min_length: 4 } } }).expect(422);
      expect(detailOf(wrong.body).map((i) => i.loc)).toEqual(
        expect.arrayContaining([
          ['body', 'settings', 'session_timeout'],
          ['body', 'settings', 'password_policy', 'min_length'],
        ]),
      );
      const method = await call(gw, 'patch', `/api/v1/admin/tenants/${w.t1a}`, su, { settings: { mfa_methods: ['carrier-pigeon'] } }).expect(422);
      expect(detailOf(method.body)[0]).toMatchObject({ loc: ['body', 'settings', 'mfa_methods', 0], type: 'enum' });
    });

    it('unknown top-level body fields are ignored, as FastAPI does; only settings are closed', async () => {
      const res = await call(gw, 'post', '/api/v1/admin/tenants/', su, { name: 'Extra Fields Inc', domain: 'extra.example', settings: { mfa_required: true } }).expect(201);
      expect(res.body.data).toMatchObject({ name: 'Extra Fields Inc', settings: expect.objectContaining({ mfa_required: true }) });
      expect(res.body.data.domain).toBeUndefined();
    });

    it('service validation errors are mapped to snake_case body locations', async () => {
      // Passes the schema; the service rejects the relative redirect URI.
      const res = await call(gw, 'post', '/api/v1/admin/applications/', su, { name: 'Bad uri', application_type: 'web', redirect_uris: ['/relative'] }).expect(422);
      expect(detailOf(res.body)).toEqual([expect.objectContaining({ loc: ['body', 'redirect_uris', 0] })]);
      const scope = await call(gw, 'post', '/api/v1/admin/applications/', su, { name: 'No tenant', application_type: 'web', scope: 'TENANT' }).expect(422);
      expect(detailOf(scope.body)[0].loc).toEqual(['body', 'tenant_id']);
    });

    it('is checked before anything is written', async () => {
      await call(gw, 'post', '/api/v1/admin/tenants/', su, { name: 'Valid name', status: 'sleeping' }).expect(422);
      const list = await call(gw, 'get', '/api/v1/admin/tenants/?search=valid%20name', su).expect(200);
      expect(list.body.data).toEqual([]);
    });
  });

  describe('401 / 403 / 404 / 409', () => {
    it('401 {detail} without a token, with a malformed one and with a wrongly signed one, on every kind of route', async () => {
      const paths: ['get' | 'post' | 'delete', string][] = [
        ['get', '/api/v1/admin/applications/'],
        ['post', '/api/v1/admin/tenants/'],
        ['delete', `/api/v1/tenants/${w.t1a}/users/${ZERO_UUID}/applications/${ZERO_UUID}`],
        ['get', '/api/v1/tenants/not-a-uuid/users'],
      ];
      for (const [method, path] of paths) {
        const none = await call(gw, method, path).expect(401);
        expect(none.body).toEqual({ detail: expect.any(String) });
        const malformed = await gw.http[method](path).set('authorization', 'Bearer nonsense').expect(401);
        expect(malformed.body).toEqual({ detail: expect.any(String) });
      }
      const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6InN1cGVyX2FkbWluIiwiZXhwIjo0MTAyNDQ0ODAwfQ.c2lnbmF0dXJl';
      await call(gw, 'get', '/api/v1/admin/tenants/', forged).expect(401);
      const mgmt = await call(gw, 'get', '/v1/management/applications').expect(401);
      expect(mgmt.body).toEqual({ message: expect.any(String), error_code: 401 });
    });

    it('403 {detail} for a visible resource the caller may not change', async () => {
      const res = await call(gw, 'patch', `/api/v1/admin/applications/${w.apps.global}`, tenantAdmin, { name: 'Mine now' }).expect(403);
      expect(res.body).toEqual({ detail: expect.any(String) });
    });

    it('404 {detail} for an invisible or missing resource', async () => {
      const invisible = await call(gw, 'get', `/api/v1/admin/tenants/${w.t2}`, tenantAdmin).expect(404);
      expect(invisible.body).toEqual({ detail: expect.any(String) });
      const tenantPath = await call(gw, 'get', `/api/v1/tenants/${w.t2}/users`, partnerAdmin).expect(404);
      expect(tenantPath.body).toEqual({ detail: expect.any(String) });
      await call(gw, 'get', `/api/v1/admin/applications/${ZERO_UUID}`, su).expect(404);
      const unknownRoute = await call(gw, 'get', '/api/v1/nothing-here', su).expect(404);
      expect(unknownRoute.body).toEqual({ detail: 'Not Found' });
    });

    it('409 {detail} on a duplicate slug, email or name', async () => {
      await call(gw, 'post', '/api/v1/admin/tenants/', su, { name: 'Dup', slug: 'dup' }).expect(201);
      const slug = await call(gw, 'post', '/api/v1/admin/tenants/', su, { name: 'Dup 2', slug: 'dup' }).expect(409);
      expect(slug.body).toEqual({ detail: expect.any(String) });
      await call(gw, 'post', `/api/v1/tenants/${w.t1b}/users`, su, { email: 'same@t1b.test' }).expect(201);
      await call(gw, 'post', `/api/v1/tenants/${w.t1b}/users`, su, { email: 'SAME@t1b.test' }).expect(409);
      await call(gw, 'post', `/api/v1/tenants/${w.t1b}/groups`, su, { name: 'Team' }).expect(201);
      await call(gw, 'post', `/api/v1/tenants/${w.t1b}/groups`, su, { name: 'Team' }).expect(409);
    });

    it('405 for a known path with another method', async () => {
      const res = await call(gw, 'put', '/api/v1/admin/tenants/', su, {}).expect(405);
      expect(res.body).toEqual({ detail: 'Method Not Allowed' });
    });
  });

  describe('management API style', () => {
    it('400 {message, error_code} for bad input (not 422), including malformed JSON', async () => {
      const missing = await call(gw, 'post', '/v1/management/applications', tenantAdmin, { app_description: 'no name' }).expect(400);
      expect(missing.body).toEqual({ message: expect.stringContaining('app_name'), error_code: 400 });
      const badEnum = await call(gw, 'post', '/v1/management/applications', tenantAdmin, { app_name: 'X', pkce: 'sometimes' }).expect(400);
      expect(badEnum.body.error_code).toBe(400);
      const malformed = await gw.http
        .post('/v1/management/applications')
        .set('authorization', `Bearer ${tenantAdmin}`)
        .set('content-type', 'application/json')
        .send('{')
        .expect(400);
      expect(malformed.body).toEqual({ message: expect.any(String), error_code: 400 });
    });

    it('super and partner admins must name the tenant in x-tenant-id (400 when missing or not a UUID)', async () => {
      const missing = await call(gw, 'get', '/v1/management/applications', su).expect(400);
      expect(missing.body).toEqual({ message: expect.stringContaining('x-tenant-id'), error_code: 400 });
      await call(gw, 'get', '/v1/management/applications', partnerAdmin, undefined, { 'x-tenant-id': 'abc' }).expect(400);
      await call(gw, 'get', '/v1/management/applications', partnerAdmin, undefined, { 'x-tenant-id': w.t1b }).expect(200);
      // A tenant of another partner is invisible to the partner admin.
      const invisible = await call(gw, 'get', '/v1/management/applications', partnerAdmin, undefined, { 'x-tenant-id': w.t2 }).expect(404);
      expect(invisible.body).toEqual({ message: expect.any(String), error_code: 404 });
    });

    it('403 for a caller who may read but not write', async () => {
      const reader = await gw.token({ sub: 'ro', role: 'tenant_admin', tenant_id: w.t1a, scope: 'admin:read' });
      const res = await call(gw, 'post', '/v1/management/applications', reader, { app_name: 'Nope' }).expect(403);
      expect(res.body).toEqual({ message: expect.any(String), error_code: 403 });
    });

    it('404 for an app of another tenant or a non-management app', async () => {
      const res = await call(gw, 'put', `/v1/management/applications/${w.apps.t1a}`, tenantAdmin, { app_name: 'Hijack' }).expect(404);
      expect(res.body).toEqual({ message: expect.any(String), error_code: 404 });
    });
  });
});
