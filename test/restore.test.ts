import { codeOf, startTestGateway, type TestGateway } from './support/harness.js';
import { addMember, assignGroup, assignUser, buildWorld, createApplication, createGroup, createPartner, createTenant, createUser, gqlAs, type World } from './support/world.js';
import { call, expectList, expectSingle } from './rest/rest-helpers.js';

/**
 * Issue 12 part 1: restoring soft-deleted applications, users, groups and tenants brings back what
 * the delete hid (memberships, assignments), exactly: effective users are compared with the lists
 * taken before the delete.
 */
let gw: TestGateway;
let su: string;
let w: World;
let ua: string;
let ub: string;
let uc: string;
let g: string;
let tokens: { pa1: string; ta1a: string };

beforeAll(async () => {
  gw = await startTestGateway();
  su = await gw.superToken();
  w = await buildWorld(gw);
  ua = await createUser(gw, su, w.t1a, 'ua@t1a.test');
  ub = await createUser(gw, su, w.t1a, 'ub@t1a.test');
  uc = await createUser(gw, su, w.t1b, 'uc@t1b.test');
  g = await createGroup(gw, su, w.t1a, 'Readers');
  await addMember(gw, su, w.t1a, g, ua);
  await addMember(gw, su, w.t1a, g, ub);
  await assignGroup(gw, su, w.t1a, g, w.apps.t1a);
  await assignGroup(gw, su, w.t1a, g, w.apps.global);
  await assignUser(gw, su, w.t1a, ua, w.apps.global);
  await assignUser(gw, su, w.t1a, ub, w.apps.p1);
  await assignUser(gw, su, w.t1b, uc, w.apps.p1);
  await assignUser(gw, su, w.t1b, uc, w.apps.global);
  tokens = {
    pa1: await gw.token({ sub: 'pa1', role: 'partner_admin', partner_id: w.p1, scope: 'admin:read admin:write' }),
    ta1a: await gw.token({ sub: 'ta1a', role: 'tenant_admin', tenant_id: w.t1a, scope: 'admin:read admin:write' }),
  };
});
afterAll(() => gw.close());

/** Effective users of every application of the world, as the super admin sees them. */
async function effectiveUsers(): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const [name, id] of Object.entries(w.apps)) {
    const res = await call(gw, 'get', `/api/v1/admin/applications/${id}/effective-users?per_page=100`, su);
    result[name] = res.status === 200 ? expectList(res.body) : [`status ${res.status}`];
  }
  return result;
}

async function auditActions(targetId: string): Promise<string[]> {
  const data = await gqlAs(gw, su, 'query($t: ID!) { auditEvents(filter: { targetId: $t }, perPage: 100) { items { action } } }', { t: targetId });
  return data.auditEvents.items.map((e: { action: string }) => e.action);
}

describe('delete then restore gives back the same effective users', () => {
  test('application (REST restore)', async () => {
    const before = await effectiveUsers();
    expect(before.t1a.length).toBe(2);
    expect((await call(gw, 'delete', `/api/v1/admin/applications/${w.apps.t1a}`, su)).status).toBe(204);
    expect((await call(gw, 'get', `/api/v1/admin/applications/${w.apps.t1a}`, su)).status).toBe(404);
    const res = await call(gw, 'post', `/api/v1/admin/applications/${w.apps.t1a}/restore`, su);
    expect(res.status).toBe(200);
    const data = expectSingle(res.body);
    expect(data).toMatchObject({ id: w.apps.t1a, deleted_at: null });
    expect(data.secrets).toHaveLength(1);
    expect(await effectiveUsers()).toEqual(before);
    expect(await auditActions(w.apps.t1a)).toContain('application.restore');
  });

  test('user (GraphQL restore): memberships and direct assignments come back', async () => {
    const before = await effectiveUsers();
    ok(await gw.gql('mutation($t: ID!, $id: ID!) { deleteUser(tenantId: $t, id: $id) }', { t: w.t1a, id: ub }, su));
    const during = await effectiveUsers();
    expect(during.p1.map((u: any) => u.id)).not.toContain(ub);
    const restored = await gqlAs(gw, su, 'mutation($t: ID!, $id: ID!) { restoreUser(tenantId: $t, id: $id) { id email deletedAt } }', { t: w.t1a, id: ub });
    expect(restored.restoreUser).toEqual({ id: ub, email: 'ub@t1a.test', deletedAt: null });
    expect(await effectiveUsers()).toEqual(before);
    const members = await call(gw, 'get', `/api/v1/tenants/${w.t1a}/groups/${g}/members`, su);
    expect(
      expectList(members.body)
        .map((u: any) => u.id)
        .sort(),
    ).toEqual([ua, ub].sort());
    expect(await auditActions(ub)).toContain('user.restore');
  });

  test('group (REST restore): its members regain what the group was assigned', async () => {
    const before = await effectiveUsers();
    expect((await call(gw, 'delete', `/api/v1/tenants/${w.t1a}/groups/${g}`, su)).status).toBe(204);
    expect((await effectiveUsers()).t1a).toEqual([]);
    const res = await call(gw, 'post', `/api/v1/tenants/${w.t1a}/groups/${g}/restore`, su);
    expect(res.status).toBe(200);
    expect(expectSingle(res.body)).toMatchObject({ id: g, name: 'Readers', deleted_at: null });
    expect(await effectiveUsers()).toEqual(before);
    expect(await auditActions(g)).toContain('group.restore');
  });

  test('tenant (REST restore): users, groups and TENANT applications under it come back', async () => {
    const before = await effectiveUsers();
    expect((await call(gw, 'delete', `/api/v1/admin/tenants/${w.t1a}`, su)).status).toBe(204);
    const during = await effectiveUsers();
    expect(during.t1a).toEqual(['status 404']);
    expect(during.global.map((u: any) => u.id)).toEqual([uc]);
    const res = await call(gw, 'post', `/api/v1/admin/tenants/${w.t1a}/restore`, su);
    expect(res.status).toBe(200);
    expect(expectSingle(res.body)).toMatchObject({ id: w.t1a, deleted_at: null });
    expect(await effectiveUsers()).toEqual(before);
    expect(await auditActions(w.t1a)).toContain('tenant.restore');
  });
});

function ok<T>(result: { errors?: unknown[]; data: T }): T {
  if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

describe('conflicts on restore', () => {
  test('restoring a live row is idempotent: 200 with the row as it is, nothing written', async () => {
    const before = await auditActions(ua);
    const res = await call(gw, 'post', `/api/v1/tenants/${w.t1a}/users/${ua}/restore`, su);
    expect(res.status).toBe(200);
    expect(expectSingle(res.body)).toMatchObject({ id: ua, email: 'ua@t1a.test', deleted_at: null });
    const gql = await gw.gql('mutation($id: ID!) { restoreApplication(id: $id) { id deletedAt } }', { id: w.apps.global }, su);
    expect(gql.data.restoreApplication).toEqual({ id: w.apps.global, deletedAt: null });
    expect(await auditActions(ua)).toEqual(before);
  });

  test('a tenant slug taken by a live tenant meanwhile', async () => {
    const first = (await gqlAs(gw, su, 'mutation { createTenant(input: { name: "Slug One", slug: "shared-slug" }) { id } }')).createTenant.id;
    expect((await call(gw, 'delete', `/api/v1/admin/tenants/${first}`, su)).status).toBe(204);
    await gqlAs(gw, su, 'mutation { createTenant(input: { name: "Slug Two", slug: "shared-slug" }) { id } }');
    const res = await call(gw, 'post', `/api/v1/admin/tenants/${first}/restore`, su);
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/slug "shared-slug"/);
  });

  test('a user e-mail taken in the tenant meanwhile (case-insensitively)', async () => {
    const first = await createUser(gw, su, w.t1b, 'twin@t1b.test');
    expect((await call(gw, 'delete', `/api/v1/tenants/${w.t1b}/users/${first}`, su)).status).toBe(204);
    await createUser(gw, su, w.t1b, 'TWIN@t1b.test');
    const res = await call(gw, 'post', `/api/v1/tenants/${w.t1b}/users/${first}/restore`, su);
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/email twin@t1b\.test/);
  });

  test('a group name taken in the tenant meanwhile', async () => {
    const first = await createGroup(gw, su, w.t1b, 'Twins');
    expect((await call(gw, 'delete', `/api/v1/tenants/${w.t1b}/groups/${first}`, su)).status).toBe(204);
    await createGroup(gw, su, w.t1b, 'Twins');
    const result = await gw.gql('mutation($t: ID!, $id: ID!) { restoreGroup(tenantId: $t, id: $id) { id } }', { t: w.t1b, id: first }, su);
    expect(codeOf(result)).toBe('CONFLICT');
    expect(result.errors![0].message).toMatch(/group named "Twins"/);
  });

  test('a tenant of a deleted partner is 409; its users and groups 404; its application 409', async () => {
    const p3 = await createPartner(gw, su, 'Partner Three');
    const t3 = await createTenant(gw, su, 'Tenant Three', p3);
    const u3 = await createUser(gw, su, t3, 'u3@t3.test');
    const app3 = await createApplication(gw, su, { name: 'T3 App', scope: 'TENANT', tenantId: t3 });
    const pApp = await createApplication(gw, su, { name: 'P3 App', scope: 'PARTNER', partnerId: p3 });
    expect((await call(gw, 'delete', `/api/v1/tenants/${t3}/users/${u3}`, su)).status).toBe(204);
    expect((await call(gw, 'delete', `/api/v1/admin/applications/${app3.id}`, su)).status).toBe(204);
    expect((await call(gw, 'delete', `/api/v1/admin/applications/${pApp.id}`, su)).status).toBe(204);
    expect((await call(gw, 'delete', `/api/v1/admin/tenants/${t3}`, su)).status).toBe(204);
    await gqlAs(gw, su, 'mutation($id: ID!) { deletePartner(id: $id) }', { id: p3 });

    const tenant = await call(gw, 'post', `/api/v1/admin/tenants/${t3}/restore`, su);
    expect(tenant.status).toBe(409);
    expect(tenant.body.detail).toMatch(/partner .* is deleted/);
    expect((await call(gw, 'post', `/api/v1/tenants/${t3}/users/${u3}/restore`, su)).status).toBe(404);
    const app = await call(gw, 'post', `/api/v1/admin/applications/${app3.id}/restore`, su);
    expect(app.status).toBe(409);
    expect(app.body.detail).toMatch(/tenant .* is deleted/);
    const partnerApp = await call(gw, 'post', `/api/v1/admin/applications/${pApp.id}/restore`, su);
    expect(partnerApp.status).toBe(409);
    expect(partnerApp.body.detail).toMatch(/partner .* is deleted/);
  });
});

describe('include_deleted lists', () => {
  let gone: string;
  beforeAll(async () => {
    gone = await createUser(gw, su, w.t1a, 'gone@t1a.test');
    expect((await call(gw, 'delete', `/api/v1/tenants/${w.t1a}/users/${gone}`, su)).status).toBe(204);
  });

  test('without it: no deleted rows and no deleted_at key (responses unchanged)', async () => {
    const items = expectList((await call(gw, 'get', `/api/v1/tenants/${w.t1a}/users?per_page=100`, su)).body);
    expect(items.map((u: any) => u.id)).not.toContain(gone);
    for (const item of items) expect(item).not.toHaveProperty('deleted_at');
  });

  test('super admin and partner admin see the deleted user with deleted_at; live rows have null', async () => {
    for (const token of [su, tokens.pa1]) {
      const res = await call(gw, 'get', `/api/v1/tenants/${w.t1a}/users?per_page=100&include_deleted=true`, token);
      expect(res.status).toBe(200);
      const items = expectList(res.body);
      const deleted = items.find((u: any) => u.id === gone);
      expect(deleted.deleted_at).toEqual(expect.any(String));
      expect(items.find((u: any) => u.id === ua).deleted_at).toBeNull();
    }
  });

  test('tenant admin: 403 (REST) / FORBIDDEN (GraphQL)', async () => {
    expect((await call(gw, 'get', `/api/v1/tenants/${w.t1a}/users?include_deleted=true`, tokens.ta1a)).status).toBe(403);
    const result = await gw.gql('query($t: ID!) { groups(tenantId: $t, includeDeleted: true) { items { id } } }', { t: w.t1a }, tokens.ta1a);
    expect(codeOf(result)).toBe('FORBIDDEN');
  });

  test("deleted tenants and applications, within the partner admin's visibility", async () => {
    const t4 = await createTenant(gw, su, 'Tenant Four', w.p1);
    const t5 = await createTenant(gw, su, 'Tenant Five', w.p2);
    for (const t of [t4, t5]) expect((await call(gw, 'delete', `/api/v1/admin/tenants/${t}`, su)).status).toBe(204);
    const asPartner = expectList((await call(gw, 'get', '/api/v1/admin/tenants/?per_page=100&include_deleted=true', tokens.pa1)).body).map((t: any) => t.id);
    expect(asPartner).toContain(t4);
    expect(asPartner).not.toContain(t5);
    const asSuper = expectList((await call(gw, 'get', '/api/v1/admin/tenants/?per_page=100&include_deleted=true', su)).body).map((t: any) => t.id);
    expect(asSuper).toEqual(expect.arrayContaining([t4, t5]));

    const app = await createApplication(gw, su, { name: 'Short-lived', scope: 'PARTNER', partnerId: w.p1 });
    await gqlAs(gw, su, 'mutation($id: ID!) { deleteApplication(id: $id) }', { id: app.id });
    const listed = await gqlAs(gw, tokens.pa1, '{ applications(includeDeleted: true, perPage: 100) { items { id deletedAt } } }');
    expect(listed.applications.items.find((a: any) => a.id === app.id).deletedAt).toEqual(expect.any(String));
    const plain = await gqlAs(gw, tokens.pa1, '{ applications(perPage: 100) { items { id } } }');
    expect(plain.applications.items.map((a: any) => a.id)).not.toContain(app.id);
    expect((await call(gw, 'get', '/api/v1/admin/applications/?include_deleted=true', tokens.ta1a)).status).toBe(403);
  });
});

describe('rights: the same as delete', () => {
  test('tenant admin restores in its own tenant (200), not in another (404)', async () => {
    const own = await createUser(gw, su, w.t1a, 'own@t1a.test');
    const other = await createUser(gw, su, w.t1b, 'other@t1b.test');
    expect((await call(gw, 'delete', `/api/v1/tenants/${w.t1a}/users/${own}`, su)).status).toBe(204);
    expect((await call(gw, 'delete', `/api/v1/tenants/${w.t1b}/users/${other}`, su)).status).toBe(204);
    expect((await call(gw, 'post', `/api/v1/tenants/${w.t1a}/users/${own}/restore`, tokens.ta1a)).status).toBe(200);
    expect((await call(gw, 'post', `/api/v1/tenants/${w.t1b}/users/${other}/restore`, tokens.ta1a)).status).toBe(404);
  });

  test('partner admin: GLOBAL application 403, its PARTNER application 200; a tenant admin does not see other tenants (404)', async () => {
    const globalApp = await createApplication(gw, su, { name: 'Global Two', scope: 'GLOBAL' });
    const partnerApp = await createApplication(gw, su, { name: 'P1 Two', scope: 'PARTNER', partnerId: w.p1 });
    for (const id of [globalApp.id, partnerApp.id]) await gqlAs(gw, su, 'mutation($id: ID!) { deleteApplication(id: $id) }', { id });
    expect((await call(gw, 'post', `/api/v1/admin/applications/${globalApp.id}/restore`, tokens.pa1)).status).toBe(403);
    expect((await call(gw, 'post', `/api/v1/admin/applications/${partnerApp.id}/restore`, tokens.pa1)).status).toBe(200);
    const t6 = await createTenant(gw, su, 'Tenant Six', w.p1);
    expect((await call(gw, 'delete', `/api/v1/admin/tenants/${t6}`, su)).status).toBe(204);
    expect((await call(gw, 'post', `/api/v1/admin/tenants/${t6}/restore`, tokens.ta1a)).status).toBe(404);
    expect((await call(gw, 'post', `/api/v1/admin/tenants/${t6}/restore`, tokens.pa1)).status).toBe(200);
  });
});
