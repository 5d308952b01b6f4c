import { encodeFeedCursor } from '../src/modules/access/access.service.js';
import { codeOf, ok, startTestGateway, type TestGateway } from './support/harness.js';
import { addMember, assignGroup, assignUser, createApplication, createGroup, createPartner, createTenant, createUser, gqlAs } from './support/world.js';
import { call } from './rest/rest-helpers.js';

/** Access insight (issue 11): explanation, what-if preview against reality, change feed replay, REST, 410. */
let gw: TestGateway;
let su: string;
const w: Record<string, string> = {};

const EXPLAIN = `query($a: ID!, $u: ID!) { accessExplanation(applicationId: $a, userId: $u) {
  hasAccess direct { assignedAt } viaGroups { groupId groupName assignedAt } blockedBy { reason groupId } } }`;
const explain = async (token: string, a: string, u: string) => gw.gql(EXPLAIN, { a, u }, token);
const sql = (text: string) => gw.db.orm.em.fork().getConnection().execute(text);

async function effectiveIds(token: string, applicationId: string): Promise<string[]> {
  const ids: string[] = [];
  for (let after: string | null = null; ;) {
    const data: any = await gqlAs(
      gw,
      token,
      'query($a: ID!, $after: String) { effectiveUsers(applicationId: $a, after: $after, first: 100) { items { id } endCursor hasNextPage } }',
      { a: applicationId, after },
    );
    ids.push(...data.effectiveUsers.items.map((i: any) => i.id));
    if (!data.effectiveUsers.hasNextPage) return ids.sort();
    after = data.effectiveUsers.endCursor;
  }
}

/** Replays the feed of an application from `after` onto `start`. */
async function replay(token: string, applicationId: string, start: Set<string>, after: string | null = null): Promise<{ set: Set<string>; cursor: string }> {
  const set = new Set(start);
  for (;;) {
    const data: any = await gqlAs(
      gw,
      token,
      'query($a: ID!, $after: String) { accessChanges(applicationId: $a, after: $after, first: 7) { items { userId change causeAction actorType } endCursor hasNextPage } }',
      { a: applicationId, after },
    );
    for (const item of data.accessChanges.items) item.change === 'granted' ? set.add(item.userId) : set.delete(item.userId);
    after = data.accessChanges.endCursor;
    if (!data.accessChanges.hasNextPage) return { set, cursor: after! };
  }
}

beforeAll(async () => {
  gw = await startTestGateway();
  su = await gw.superToken();
  w.p1 = await createPartner(gw, su, 'P1');
  w.p2 = await createPartner(gw, su, 'P2');
  w.ta = await createTenant(gw, su, 'TA', w.p1);
  w.tb = await createTenant(gw, su, 'TB', w.p1);
  w.tc = await createTenant(gw, su, 'TC', w.p2);
  w.global = (await createApplication(gw, su, { name: 'Global', scope: 'GLOBAL' })).id;
  w.partnerApp = (await createApplication(gw, su, { name: 'P1 app', scope: 'PARTNER', partnerId: w.p1 })).id;
  w.direct = await createUser(gw, su, w.ta, 'direct@a.test');
  w.one = await createUser(gw, su, w.ta, 'one@a.test');
  w.two = await createUser(gw, su, w.ta, 'two@a.test');
  w.disabled = await createUser(gw, su, w.ta, 'disabled@a.test');
  w.inB = await createUser(gw, su, w.tb, 'b@b.test');
  w.inC = await createUser(gw, su, w.tc, 'c@c.test');
  w.g1 = await createGroup(gw, su, w.ta, 'g1');
  w.g2 = await createGroup(gw, su, w.ta, 'g2');
  w.gDel = await createGroup(gw, su, w.ta, 'gone');
  w.gB = await createGroup(gw, su, w.tb, 'gb');
  await assignUser(gw, su, w.ta, w.direct, w.global);
  await assignUser(gw, su, w.ta, w.disabled, w.global);
  for (const [g, u] of [
    [w.g1, w.one],
    [w.g1, w.two],
    [w.g2, w.two],
    [w.gDel, w.direct],
    [w.gDel, w.one],
    [w.gB, w.inB],
  ])
    await addMember(gw, su, g === w.gB ? w.tb : w.ta, g, u);
  await assignGroup(gw, su, w.ta, w.g1, w.global);
  await assignGroup(gw, su, w.ta, w.g2, w.global);
  await assignGroup(gw, su, w.ta, w.gDel, w.global);
  await assignGroup(gw, su, w.tb, w.gB, w.global);
  await assignUser(gw, su, w.tc, w.inC, w.global);
  await assignUser(gw, su, w.ta, w.one, w.partnerApp);
  await gqlAs(gw, su, 'mutation($t: ID!, $g: ID!) { deleteGroup(tenantId: $t, id: $g) }', { t: w.ta, g: w.gDel });
  await gqlAs(gw, su, 'mutation($t: ID!, $u: ID!) { updateUser(tenantId: $t, id: $u, input: { status: disabled }) { id } }', { t: w.ta, u: w.disabled });
});
afterAll(() => gw?.close());

describe('accessExplanation', () => {
  it('direct, one group, two groups, deleted group, disabled user', async () => {
    const direct = ok(await explain(su, w.global, w.direct)).accessExplanation;
    expect(direct).toMatchObject({ hasAccess: true, viaGroups: [], blockedBy: [{ reason: 'GROUP_DELETED', groupId: w.gDel }] });
    expect(direct.direct.assignedAt).toEqual(expect.any(String));
    const one = ok(await explain(su, w.global, w.one)).accessExplanation;
    expect(one).toMatchObject({ hasAccess: true, direct: null, viaGroups: [{ groupId: w.g1, groupName: 'g1' }], blockedBy: [{ reason: 'GROUP_DELETED', groupId: w.gDel }] });
    const two = ok(await explain(su, w.global, w.two)).accessExplanation;
    expect(two.viaGroups.map((g: any) => g.groupId)).toEqual([w.g1, w.g2]);
    expect(two.blockedBy).toEqual([]);
    const disabled = ok(await explain(su, w.global, w.disabled)).accessExplanation;
    expect(disabled).toMatchObject({ hasAccess: false, direct: { assignedAt: expect.any(String) }, blockedBy: [{ reason: 'USER_DISABLED', groupId: null }] });
    // No path at all: no access, nothing blocked.
    expect(ok(await explain(su, w.partnerApp, w.two)).accessExplanation).toMatchObject({ hasAccess: false, direct: null, viaGroups: [], blockedBy: [] });
  });

  it('tenant and partner admins see their part; other users and applications are NOT_FOUND', async () => {
    const ta = await gw.token({ sub: 'ta', role: 'tenant_admin', tenant_id: w.ta, scope: 'admin:read' });
    const tc = await gw.token({ sub: 'tc', role: 'tenant_admin', tenant_id: w.tc, scope: 'admin:read' });
    const pa2 = await gw.token({ sub: 'pa2', role: 'partner_admin', partner_id: w.p2, scope: 'admin:read' });
    expect(ok(await explain(ta, w.global, w.two)).accessExplanation.hasAccess).toBe(true);
    expect(ok(await explain(ta, w.partnerApp, w.one)).accessExplanation.hasAccess).toBe(true);
    expect(codeOf(await explain(tc, w.global, w.two))).toBe('NOT_FOUND');
    expect(codeOf(await explain(pa2, w.global, w.one))).toBe('NOT_FOUND');
    expect(codeOf(await explain(tc, w.partnerApp, w.inC))).toBe('NOT_FOUND'); // a P1 application is invisible to P2's tenant
    expect(ok(await explain(pa2, w.global, w.inC)).accessExplanation.hasAccess).toBe(true);
  });

  it('out of scope, then deleted tenant (REST, with the tenant in the path)', async () => {
    // An operator moves TA to P2: P1's application no longer counts for TA's users.
    await sql(`update tenant set partner_id = '${w.p2}' where id = '${w.ta}'`);
    expect(ok(await explain(su, w.partnerApp, w.one)).accessExplanation).toMatchObject({ hasAccess: false, blockedBy: [{ reason: 'OUT_OF_SCOPE', groupId: null }] });
    await sql(`update tenant set partner_id = '${w.p1}' where id = '${w.ta}'`);
    const tenantB = await createTenant(gw, su, 'TD', w.p1);
    const user = await createUser(gw, su, tenantB, 'd@d.test');
    await assignUser(gw, su, tenantB, user, w.global);
    await gqlAs(gw, su, 'mutation($id: ID!) { deleteTenant(id: $id) }', { id: tenantB });
    const res = await call(gw, 'get', `/api/v1/tenants/${tenantB}/users/${user}/applications/${w.global}/access`, su).expect(200);
    expect(res.body.data).toMatchObject({ has_access: false, blocked_by: [{ reason: 'TENANT_DELETED', group_id: null }] });
    await call(gw, 'get', `/api/v1/tenants/${w.tb}/users/${user}/applications/${w.global}/access`, su).expect(404);
  });
});

describe('previewAccessChange', () => {
  const PREVIEW = `query($c: AccessChangeInput!) { previewAccessChange(change: $c) { losingCount applications { applicationId losingCount keepingCount losing { id email direct groups { id } } } } }`;
  const cases: [string, () => Record<string, unknown>, string, Record<string, unknown>][] = [
    [
      'UNASSIGN_FROM_GROUP',
      () => ({ kind: 'UNASSIGN_FROM_GROUP', tenantId: w.ta, applicationId: w.global, groupId: w.g1 }),
      'mutation($t: ID!, $g: ID!, $a: ID!) { unassignApplicationFromGroup(tenantId: $t, groupId: $g, applicationId: $a) }',
      {},
    ],
    [
      'REMOVE_GROUP_MEMBER',
      () => ({ kind: 'REMOVE_GROUP_MEMBER', tenantId: w.ta, groupId: w.g2, userId: w.two }),
      'mutation($t: ID!, $g: ID!, $u: ID!) { removeGroupMember(tenantId: $t, groupId: $g, userId: $u) }',
      {},
    ],
    ['DELETE_USER', () => ({ kind: 'DELETE_USER', tenantId: w.ta, userId: w.direct }), 'mutation($t: ID!, $u: ID!) { deleteUser(tenantId: $t, id: $u) }', {}],
  ];
  it.each(cases)('%s: applying the change removes exactly the previewed users', async (_kind, change, mutation) => {
    const c = change() as any;
    const before = await effectiveIds(su, w.global);
    const statementsBefore = Number((await sql('select count(*)::int as n from access_change'))[0].n);
    const preview = ok(await gw.gql(PREVIEW, { c }, su)).previewAccessChange;
    expect(Number((await sql('select count(*)::int as n from access_change'))[0].n)).toBe(statementsBefore); // nothing written
    await gqlAs(gw, su, mutation, { t: c.tenantId, g: c.groupId, u: c.userId, a: c.applicationId });
    const after = await effectiveIds(su, w.global);
    const lost = before.filter((id) => !after.includes(id)).sort();
    const impact = preview.applications.find((a: any) => a.applicationId === w.global);
    expect((impact?.losing ?? []).map((u: any) => u.id).sort()).toEqual(lost);
    expect(impact?.losingCount ?? 0).toBe(lost.length);
  });

  it('needs the rights of the change: another tenant is NOT_FOUND, a read-only token FORBIDDEN (REST 404/403)', async () => {
    const tc = await gw.token({ sub: 'tc', role: 'tenant_admin', tenant_id: w.tc, scope: 'admin:read admin:write' });
    const ro = await gw.token({ sub: 'ro', role: 'super_admin', scope: 'admin:read' });
    await call(gw, 'post', '/api/v1/admin/access-preview', tc, { kind: 'DISABLE_USER', tenant_id: w.tb, user_id: w.inB }).expect(404);
    await call(gw, 'post', '/api/v1/admin/access-preview', ro, { kind: 'DISABLE_USER', tenant_id: w.tb, user_id: w.inB }).expect(403);
    const res = await call(gw, 'post', '/api/v1/admin/access-preview', su, { kind: 'DISABLE_USER', tenant_id: w.tb, user_id: w.inB }).expect(200);
    expect(res.body.data).toMatchObject({ losing_count: 1, applications: [{ application_id: w.global, losing_count: 1, keeping_count: 0 }] });
    const bad = await call(gw, 'post', '/api/v1/admin/access-preview', su, { kind: 'DELETE_GROUP', tenant_id: w.tb }).expect(422);
    expect(JSON.stringify(bad.body.detail)).toContain('group_id');
  });
});

describe('accessChanges', () => {
  it('a feed read prunes rows older than the retention (ACCESS_CHANGES_RETENTION_DAYS, default 30)', async () => {
    await sql(
      `insert into access_change (application_id, user_id, tenant_id, change, created_at) values ('${w.global}', '${w.inC}', '${w.tc}', 'revoked', now() - interval '31 days')`,
    );
    const count = async () => Number((await sql(`select count(*)::int as n from access_change where created_at < now() - interval '30 days'`))[0].n);
    expect(await count()).toBe(1);
    await gqlAs(gw, su, 'query($a: ID!) { accessChanges(applicationId: $a, first: 1) { endCursor } }', { a: w.global });
    expect(await count()).toBe(0);
  });

  it('replaying the feed from empty gives the effective users, for every viewer; causes and actors are recorded', async () => {
    const { set } = await replay(su, w.global, new Set());
    expect([...set].sort()).toEqual(await effectiveIds(su, w.global));
    const pa1 = await gw.token({ sub: 'pa1', role: 'partner_admin', partner_id: w.p1, scope: 'admin:read' });
    const ta = await gw.token({ sub: 'ta', role: 'tenant_admin', tenant_id: w.ta, scope: 'admin:read' });
    for (const token of [pa1, ta]) {
      const { set: seen } = await replay(token, w.global, new Set());
      expect([...seen].sort()).toEqual(await effectiveIds(token, w.global));
    }
    const { set: taSeen } = await replay(ta, w.global, new Set());
    expect(taSeen.has(w.inB) || taSeen.has(w.inC)).toBe(false);
    const all: any = await gqlAs(
      gw,
      su,
      'query($a: ID!) { accessChanges(applicationId: $a, first: 100) { items { userId change causeAction causeTargetId actorType actorId } } }',
      { a: w.global },
    );
    expect(all.accessChanges.items.every((i: any) => i.causeAction && i.actorType === 'super_admin')).toBe(true);
    expect(all.accessChanges.items).toContainEqual(expect.objectContaining({ userId: w.disabled, change: 'revoked', causeAction: 'user.update', causeTargetId: w.disabled }));
    expect(all.accessChanges.items).toContainEqual(expect.objectContaining({ userId: w.two, change: 'granted', causeAction: 'application.assign_group', causeTargetId: w.global }));
  });

  it('sync: full read keeps changesCursor, polling from it sees later writes (REST), an old cursor is 410', async () => {
    const appToken = (await createApplication(gw, su, { name: 'Synced', scope: 'GLOBAL' })) as any;
    const tokenRes = await gw.http.post('/oauth/token').send({ grant_type: 'client_credentials', client_id: appToken.clientId, client_secret: appToken.clientSecret }).expect(200);
    const bearer = tokenRes.body.access_token;
    await assignGroup(gw, su, w.tb, w.gB, appToken.id);
    const first = await call(gw, 'get', `/api/v1/admin/applications/${appToken.id}/effective-users?cursor=`, bearer).expect(200);
    const users = new Set<string>(first.body.data.map((u: any) => u.id));
    expect([...users]).toEqual([w.inB]);
    const changesCursor = first.body.pagination.changes_cursor;
    expect(typeof changesCursor).toBe('string');
    const quiet = await call(gw, 'get', `/api/v1/admin/applications/${appToken.id}/effective-users/changes?cursor=${encodeURIComponent(changesCursor)}`, bearer).expect(200);
    expect(quiet.body.data).toEqual([]);
    await assignUser(gw, su, w.tc, w.inC, appToken.id);
    await gqlAs(gw, su, 'mutation($t: ID!, $g: ID!, $u: ID!) { removeGroupMember(tenantId: $t, groupId: $g, userId: $u) }', { t: w.tb, g: w.gB, u: w.inB });
    const polled = await call(
      gw,
      'get',
      `/api/v1/admin/applications/${appToken.id}/effective-users/changes?cursor=${encodeURIComponent(quiet.body.pagination.next_cursor)}&limit=10`,
      bearer,
    ).expect(200);
    expect(polled.body.data.map((c: any) => [c.user_id, c.change, c.cause_action])).toEqual([
      [w.inC, 'granted', 'application.assign_user'],
      [w.inB, 'revoked', 'group.remove_member'],
    ]);
    const old = encodeFeedCursor(appToken.id, '0', Date.now() - 31 * 86_400_000);
    const gone = await call(gw, 'get', `/api/v1/admin/applications/${appToken.id}/effective-users/changes?cursor=${encodeURIComponent(old)}`, bearer).expect(410);
    expect(gone.body.detail).toMatch(/read all effective users again/);
    expect(codeOf(await gw.gql('query($a: ID!, $c: String) { accessChanges(applicationId: $a, after: $c) { endCursor } }', { a: appToken.id, c: old }, su))).toBe('GONE');
    // Another application's cursor is bad input; another application's feed is NOT_FOUND for this token.
    expect(codeOf(await gw.gql('query($a: ID!, $c: String) { accessChanges(applicationId: $a, after: $c) { endCursor } }', { a: w.global, c: changesCursor }, su))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(await gw.gql('query($a: ID!) { accessChanges(applicationId: $a) { endCursor } }', { a: w.global }, bearer))).toBe('NOT_FOUND');
  });
});
