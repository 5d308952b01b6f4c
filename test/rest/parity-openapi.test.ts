import SwaggerParser from '@apidevtools/swagger-parser';
import { routes } from '../../src/rest/routes.js';
import { ok, startTestGateway, type TestGateway } from '../support/harness.js';
import { addMember, assignGroup, assignUser, buildWorld, createGroup, createUser, type World } from '../support/world.js';
import { call } from './rest-helpers.js';

/** REST and GraphQL are two surfaces over one schema: the same read returns the same data. */
describe('REST vs GraphQL parity, OpenAPI and /docs', () => {
  let gw: TestGateway;
  let su: string;
  let w: World;
  const callers: Record<string, string> = {};

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    w = await buildWorld(gw);
    callers.tenant_admin = await gw.token({ sub: 'ta', role: 'tenant_admin', tenant_id: w.t1a, scope: 'admin:read' });
    callers.partner_admin = await gw.token({ sub: 'pa', role: 'partner_admin', partner_id: w.p1, scope: 'admin:read' });
    const ann = await createUser(gw, su, w.t1a, 'ann@t1a.test');
    const ben = await createUser(gw, su, w.t1b, 'ben@t1b.test');
    const cy = await createUser(gw, su, w.t2, 'cy@t2.test');
    const team = await createGroup(gw, su, w.t1a, 'Team');
    await addMember(gw, su, w.t1a, team, ann);
    await assignUser(gw, su, w.t1a, ann, w.apps.global);
    await assignGroup(gw, su, w.t1a, team, w.apps.global);
    await assignUser(gw, su, w.t1b, ben, w.apps.global);
    await assignUser(gw, su, w.t2, cy, w.apps.global);
  });
  afterAll(() => gw.close());

  for (const role of ['tenant_admin', 'partner_admin']) {
    it(`applications list: same data for a ${role}`, async () => {
      const token = callers[role];
      const rest = await call(gw, 'get', '/api/v1/admin/applications/?per_page=100', token).expect(200);
      const gql = ok(
        await gw.gql('{ applications(perPage: 100) { items { id name scope partnerId tenantId clientId createdAt updatedAt } pagination { totalItems } } }', {}, token),
      );
      expect(
        rest.body.data.map((a: any) => ({
          id: a.id,
          name: a.name,
          scope: a.scope,
          partnerId: a.partner_id,
          tenantId: a.tenant_id,
          clientId: a.client_id,
          createdAt: a.created_at,
          updatedAt: a.updated_at,
        })),
      ).toEqual(gql.applications.items);
      expect(rest.body.pagination.total_items).toBe(gql.applications.pagination.totalItems);
      expect(rest.body.data.length).toBeGreaterThan(0);
    });

    it(`effective users of a GLOBAL app: same data for a ${role}`, async () => {
      const token = callers[role];
      const rest = await call(gw, 'get', `/api/v1/admin/applications/${w.apps.global}/effective-users`, token).expect(200);
      const gql = ok(
        await gw.gql('query($a: ID!) { effectiveUsers(applicationId: $a) { items { id email name tenantId tenantName direct groups { id name } } } }', { a: w.apps.global }, token),
      );
      expect(rest.body.data).toEqual(
        gql.effectiveUsers.items.map((u: any) => ({
          id: u.id,
          email: u.email,
          name: u.name,
          tenant_id: u.tenantId,
          tenant_name: u.tenantName,
          direct: u.direct,
          groups: u.groups,
        })),
      );
      // Each admin sees only its own tenants' users (SPEC §2/§3).
      const emails = rest.body.data.map((u: { email: string }) => u.email);
      expect(emails).toEqual(role === 'tenant_admin' ? ['ann@t1a.test'] : ['ann@t1a.test', 'ben@t1b.test']);
    });

    it(`tenants list and one tenant: same data for a ${role}`, async () => {
      const token = callers[role];
      const rest = await call(gw, 'get', '/api/v1/admin/tenants/', token).expect(200);
      const gql = ok(await gw.gql('{ tenants { items { id name slug status partnerId } } }', {}, token));
      expect(rest.body.data.map((t: any) => ({ id: t.id, name: t.name, slug: t.slug, status: t.status, partnerId: t.partner_id }))).toEqual(gql.tenants.items);
      const one = await call(gw, 'get', `/api/v1/admin/tenants/${w.t1a}`, token).expect(200);
      const gqlOne = ok(await gw.gql('query($id: ID!) { tenant(id: $id) { settings { sessionTimeout mfaRequired } } }', { id: w.t1a }, token));
      expect(one.body.data.settings.session_timeout).toBe(gqlOne.tenant.settings.sessionTimeout);
    });
  }

  it('GET /openapi.json is a valid OpenAPI 3.1 document listing every route of the table', async () => {
    const res = await gw.http.get('/openapi.json').expect(200);
    const document = res.body;
    expect(document.openapi).toBe('3.1.0');
    await SwaggerParser.validate(structuredClone(document));
    for (const route of routes) {
      const operation = document.paths[route.path]?.[route.method];
      expect(operation).toBeDefined();
      expect(operation.operationId).toBe(route.operationId);
      expect(Object.keys(operation.responses)).toContain(String(route.status));
    }
    const operationCount = Object.values(document.paths as Record<string, object>).reduce((n, methods) => n + Object.keys(methods).length, 0);
    // Every route of the table, plus POST /oauth/token (not a GraphQL route, described by hand).
    expect(operationCount).toBe(routes.length + 1);
    // + the restores of applications, tenants, users and groups, and secret revoke (issue 12);
    // + access explanation, preview and change feed (issue 11).
    expect(routes.length).toBe(25 + 18 + 5 + 3);
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.schemas.HTTPValidationError).toBeDefined();
    const listTenants = document.paths['/api/v1/admin/tenants/'].get;
    expect(listTenants.parameters.map((p: { name: string }) => p.name)).toEqual(['page', 'per_page', 'search', 'status', 'partner_id', 'include_deleted']);
  });

  it('GET /docs renders Swagger UI from local assets', async () => {
    const page = await gw.http.get('/docs').expect(200);
    expect(page.text).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/https?:\/\//);
    await gw.http
      .get('/docs/assets/swagger-ui-bundle.js')
      .expect(200)
      .expect('content-type', /javascript/);
    await gw.http.get('/docs/assets/swagger-ui.css').expect(200);
    const init = await gw.http.get('/docs/init.js').expect(200);
    expect(init.text).toContain('/openapi.json');
  });
});
