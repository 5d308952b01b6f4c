import { codeOf, ok, startTestGateway, type TestGateway } from '../support/harness.js';
import { addMember, createApplication, createGroup, createPartner, createTenant, createUser, gqlAs } from '../support/world.js';
import { buildAuthWorld, type AuthWorld } from './fixtures.js';

/**
 * Issue 3 point 5: every successful mutation writes an AuditEvent in the same transaction (actor,
 * action, target, tenant, diff — never a secret); a failed mutation writes nothing; auditEvents has
 * the visibility of tenants.
 * Choice: a mutation that changes nothing (an update to the same values, assigning or adding a member
 * twice) writes no event — there is no change to record.
 */
const EVENTS = `query($filter: AuditEventFilter, $perPage: Int! = 100) {
  auditEvents(filter: $filter, perPage: $perPage) {
    items { actorType actorId action targetType targetId tenantId partnerId diff requestId createdAt }
    pagination { totalItems }
  }
}`;

describe('audit log', () => {
  let gw: TestGateway;
  let f: AuthWorld;

  beforeAll(async () => {
    gw = await startTestGateway();
    f = await buildAuthWorld(gw);
  });
  afterAll(() => gw.close());

  const total = async () => ok(await gw.gql(EVENTS, { perPage: 1 }, f.su)).auditEvents.pagination.totalItems as number;
  const eventsOf = async (targetId: string) => ok(await gw.gql(EVENTS, { filter: { targetId } }, f.su)).auditEvents.items as any[];

  interface Case {
    /** Runs the mutation as `token`; returns its target id. */
    run: (token: string) => Promise<string>;
    viewer: 'su' | 'ta1a' | 'pa1';
    action: string;
    targetType: string;
    tenant: (f: AuthWorld) => string | null;
    diff?: Record<string, unknown>;
  }
  const q = (token: string, doc: string, vars: Record<string, unknown> = {}) => gqlAs(gw, token, doc, vars);
  const CASES: [string, Case][] = [
    [
      'createPartner',
      { viewer: 'su', action: 'partner.create', targetType: 'partner', tenant: () => null, diff: { name: 'Audited Partner' }, run: (t) => createPartner(gw, t, 'Audited Partner') },
    ],
    [
      'updatePartner',
      {
        viewer: 'su',
        action: 'partner.update',
        targetType: 'partner',
        tenant: () => null,
        diff: { name: { from: 'Renamed Before', to: 'Renamed After' } },
        run: async (t) => {
          const id = await createPartner(gw, t, 'Renamed Before');
          await q(t, 'mutation($id: ID!) { updatePartner(id: $id, input: { name: "Renamed After" }) { id } }', { id });
          return id;
        },
      },
    ],
    [
      'deletePartner',
      {
        viewer: 'su',
        action: 'partner.delete',
        targetType: 'partner',
        tenant: () => null,
        run: async (t) => {
          const id = await createPartner(gw, t, 'Deleted Partner');
          await q(t, 'mutation($id: ID!) { deletePartner(id: $id) }', { id });
          return id;
        },
      },
    ],
    ['createTenant (partner admin)', { viewer: 'pa1', action: 'tenant.create', targetType: 'tenant', tenant: () => 'self', run: (t) => createTenant(gw, t, 'Audited Tenant') }],
    [
      'updateTenant (tenant admin)',
      {
        viewer: 'ta1a',
        action: 'tenant.update',
        targetType: 'tenant',
        tenant: (w) => w.t1a,
        diff: { settings: { from: {}, to: { mfa_required: true } } },
        run: async (t) => {
          await q(t, 'mutation($id: ID!) { updateTenant(id: $id, input: { settings: { mfaRequired: true } }) { id } }', { id: f.t1a });
          return f.t1a;
        },
      },
    ],
    [
      'deleteTenant (partner admin)',
      {
        viewer: 'pa1',
        action: 'tenant.delete',
        targetType: 'tenant',
        tenant: () => 'self',
        run: async (t) => {
          const id = await createTenant(gw, f.su, 'Deleted Tenant', f.p1);
          await q(t, 'mutation($id: ID!) { deleteTenant(id: $id) }', { id });
          return id;
        },
      },
    ],
    [
      'createUser',
      {
        viewer: 'ta1a',
        action: 'user.create',
        targetType: 'user',
        tenant: (w) => w.t1a,
        diff: { email: 'audited@t1a.test', name: 'audited', status: 'active' },
        run: (t) => createUser(gw, t, f.t1a, 'audited@t1a.test'),
      },
    ],
    [
      'updateUser',
      {
        viewer: 'ta1a',
        action: 'user.update',
        targetType: 'user',
        tenant: (w) => w.t1a,
        diff: { name: { from: 'before', to: 'after' } },
        run: async (t) => {
          const id = await createUser(gw, f.su, f.t1a, 'before@t1a.test');
          await q(t, 'mutation($t: ID!, $id: ID!) { updateUser(tenantId: $t, id: $id, input: { name: "after" }) { id } }', { t: f.t1a, id });
          return id;
        },
      },
    ],
    [
      'deleteUser',
      {
        viewer: 'ta1a',
        action: 'user.delete',
        targetType: 'user',
        tenant: (w) => w.t1a,
        run: async (t) => {
          const id = await createUser(gw, f.su, f.t1a, 'deleted@t1a.test');
          await q(t, 'mutation($t: ID!, $id: ID!) { deleteUser(tenantId: $t, id: $id) }', { t: f.t1a, id });
          return id;
        },
      },
    ],
    ['createGroup', { viewer: 'ta1a', action: 'group.create', targetType: 'group', tenant: (w) => w.t1a, run: (t) => createGroup(gw, t, f.t1a, 'Audited Group') }],
    [
      'updateGroup',
      {
        viewer: 'ta1a',
        action: 'group.update',
        targetType: 'group',
        tenant: (w) => w.t1a,
        diff: { description: { from: '', to: 'now described' } },
        run: async (t) => {
          const id = await createGroup(gw, f.su, f.t1a, 'Updated Group');
          await q(t, 'mutation($t: ID!, $id: ID!) { updateGroup(tenantId: $t, id: $id, input: { description: "now described" }) { id } }', { t: f.t1a, id });
          return id;
        },
      },
    ],
    [
      'deleteGroup',
      {
        viewer: 'ta1a',
        action: 'group.delete',
        targetType: 'group',
        tenant: (w) => w.t1a,
        run: async (t) => {
          const id = await createGroup(gw, f.su, f.t1a, 'Deleted Group');
          await q(t, 'mutation($t: ID!, $id: ID!) { deleteGroup(tenantId: $t, id: $id) }', { t: f.t1a, id });
          return id;
        },
      },
    ],
    [
      'addGroupMember',
      {
        viewer: 'ta1a',
        action: 'group.add_member',
        targetType: 'group',
        tenant: (w) => w.t1a,
        diff: { userId: 'u1a' },
        run: async (t) => {
          const id = await createGroup(gw, f.su, f.t1a, 'Member Group');
          await addMember(gw, t, f.t1a, id, f.u1a);
          return id;
        },
      },
    ],
    [
      'removeGroupMember',
      {
        viewer: 'ta1a',
        action: 'group.remove_member',
        targetType: 'group',
        tenant: (w) => w.t1a,
        diff: { userId: 'u1a' },
        run: async (t) => {
          const id = await createGroup(gw, f.su, f.t1a, 'Unmember Group');
          await addMember(gw, f.su, f.t1a, id, f.u1a);
          await q(t, 'mutation($t: ID!, $g: ID!, $u: ID!) { removeGroupMember(tenantId: $t, groupId: $g, userId: $u) }', { t: f.t1a, g: id, u: f.u1a });
          return id;
        },
      },
    ],
    [
      'assignApplicationToUser',
      {
        viewer: 'ta1a',
        action: 'application.assign_user',
        targetType: 'application',
        tenant: (w) => w.t1a,
        diff: { userId: 'u1a' },
        run: async (t) => {
          const app = await createApplication(gw, f.su, { name: 'Assigned App', scope: 'TENANT', tenantId: f.t1a });
          await q(t, 'mutation($t: ID!, $u: ID!, $a: ID!) { assignApplicationToUser(tenantId: $t, userId: $u, applicationId: $a) { id } }', { t: f.t1a, u: f.u1a, a: app.id });
          return app.id;
        },
      },
    ],
    [
      'unassignApplicationFromGroup',
      {
        viewer: 'ta1a',
        action: 'application.unassign_group',
        targetType: 'application',
        tenant: (w) => w.t1a,
        diff: { groupId: 'g1a' },
        run: async (t) => {
          const app = await createApplication(gw, f.su, { name: 'Unassigned App', scope: 'TENANT', tenantId: f.t1a });
          await q(f.su, 'mutation($t: ID!, $g: ID!, $a: ID!) { assignApplicationToGroup(tenantId: $t, groupId: $g, applicationId: $a) { id } }', { t: f.t1a, g: f.g1a, a: app.id });
          await q(t, 'mutation($t: ID!, $g: ID!, $a: ID!) { unassignApplicationFromGroup(tenantId: $t, groupId: $g, applicationId: $a) }', { t: f.t1a, g: f.g1a, a: app.id });
          return app.id;
        },
      },
    ],
    [
      'createApplication (partner admin)',
      {
        viewer: 'pa1',
        action: 'application.create',
        targetType: 'application',
        tenant: () => null,
        run: async (t) => (await createApplication(gw, t, { name: 'Audited P1 App', scope: 'PARTNER', partnerId: f.p1 })).id,
      },
    ],
    [
      'updateApplication',
      {
        viewer: 'ta1a',
        action: 'application.update',
        targetType: 'application',
        tenant: (w) => w.t1a,
        diff: { description: { from: '', to: 'audited' } },
        run: async (t) => {
          const app = await createApplication(gw, f.su, { name: 'Updated App', scope: 'TENANT', tenantId: f.t1a });
          await q(t, 'mutation($id: ID!) { updateApplication(id: $id, input: { description: "audited" }) { id } }', { id: app.id });
          return app.id;
        },
      },
    ],
    [
      'deleteApplication',
      {
        viewer: 'ta1a',
        action: 'application.delete',
        targetType: 'application',
        tenant: (w) => w.t1a,
        run: async (t) => {
          const app = await createApplication(gw, f.su, { name: 'Deleted App', scope: 'TENANT', tenantId: f.t1a });
          await q(t, 'mutation($id: ID!) { deleteApplication(id: $id) }', { id: app.id });
          return app.id;
        },
      },
    ],
    [
      'rotateApplicationSecret',
      {
        viewer: 'ta1a',
        action: 'application.rotate_secret',
        targetType: 'application',
        tenant: (w) => w.t1a,
        run: async (t) => {
          const app = await createApplication(gw, f.su, { name: 'Rotated App', scope: 'TENANT', tenantId: f.t1a });
          await q(t, 'mutation($id: ID!) { rotateApplicationSecret(id: $id) { id } }', { id: app.id });
          return app.id;
        },
      },
    ],
  ];

  it.each(CASES)('%s writes one event: actor, action, target, tenant, diff', async (_name, c) => {
    const token = c.viewer === 'su' ? f.su : f.tokens[c.viewer]!;
    const actor = {
      su: { actorType: 'super_admin', actorId: 'test-super' },
      ta1a: { actorType: 'tenant_admin', actorId: 'ta1a-admin' },
      pa1: { actorType: 'partner_admin', actorId: 'pa1-admin' },
    }[c.viewer];
    const targetId = await c.run(token);
    const events = (await eventsOf(targetId)).filter((e) => e.action === c.action);
    expect(events).toHaveLength(1);
    const [event] = events;
    const tenant = c.tenant(f);
    expect(event).toMatchObject({ ...actor, action: c.action, targetType: c.targetType, targetId, tenantId: tenant === 'self' ? targetId : tenant });
    expect(Number.isNaN(Date.parse(event.createdAt))).toBe(false);
    if (c.diff) {
      const expected = JSON.parse(JSON.stringify(c.diff).replace(/"(u1a|g1a)"/g, (_m, key) => JSON.stringify(key === 'u1a' ? f.u1a : f.g1a)));
      expect(event.diff).toMatchObject(expected);
    }
  });

  it('the event carries the request id of the mutation', async () => {
    const res = await gw.http
      .post('/graphql')
      .set('authorization', `Bearer ${f.su}`)
      .set('x-request-id', 'audit-req-42')
      .send({ query: 'mutation($t: ID!) { createGroup(tenantId: $t, input: { name: "Request Id Group" }) { id } }', variables: { t: f.t1a } });
    const [event] = await eventsOf(res.body.data.createGroup.id);
    expect(event.requestId).toBe('audit-req-42');
  });

  it('createApplication and rotateApplicationSecret events hold no secret and no hash', async () => {
    const created = await createApplication(gw, f.su, { name: 'Secret Keeper', scope: 'TENANT', tenantId: f.t1a });
    const rotated = (await q(f.su, 'mutation($id: ID!) { rotateApplicationSecret(id: $id) { clientSecret } }', { id: created.id })).rotateApplicationSecret;
    const management = (
      await q(f.su, 'mutation($t: ID!) { createManagementApplication(tenantId: $t, input: { name: "Secret Mgmt" }) { clientSecret application { id } } }', { t: f.t1a })
    ).createManagementApplication;
    const [{ client_secret_hash: hash }] = await gw.db.orm.em.fork().execute('select client_secret_hash from application where id = ?', [created.id]);
    const events = [...(await eventsOf(created.id)), ...(await eventsOf(management.application.id))];
    expect(events.map((e) => e.action).sort()).toEqual(['application.create', 'application.create', 'application.rotate_secret']);
    const text = JSON.stringify(events);
    for (const secret of [created.clientSecret, rotated.clientSecret, management.clientSecret, hash]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/scrypt\$|clientSecret|client_secret|secretHash/i);
    expect(events.find((e) => e.action === 'application.create' && e.targetId === created.id).diff).toMatchObject({ name: 'Secret Keeper', clientId: created.clientId });
  });

  describe('a failed mutation writes nothing (rolled back)', () => {
    it('CONFLICT: duplicate tenant slug', async () => {
      await q(f.su, 'mutation { createTenant(input: { name: "Slug One", slug: "taken-slug" }) { id } }');
      const before = await total();
      const res = await gw.gql('mutation { createTenant(input: { name: "Slug Two", slug: "taken-slug" }) { id } }', {}, f.su);
      expect(codeOf(res)).toBe('CONFLICT');
      expect(await total()).toBe(before);
      const tenants = ok(await gw.gql('{ tenants(search: "Slug Two") { pagination { totalItems } } }', {}, f.su));
      expect(tenants.tenants.pagination.totalItems).toBe(0);
    });

    it('CONFLICT: duplicate user email in a tenant', async () => {
      await createUser(gw, f.su, f.t1a, 'twice@t1a.test');
      const before = await total();
      const res = await gw.gql('mutation($t: ID!) { createUser(tenantId: $t, input: { email: "TWICE@t1a.test" }) { id } }', { t: f.t1a }, f.su);
      expect(codeOf(res)).toBe('CONFLICT');
      expect(await total()).toBe(before);
    });

    it('NOT_FOUND in a bulk assign: nothing assigned, nothing audited', async () => {
      const user = await createUser(gw, f.su, f.t1a, 'bulk@t1a.test');
      const before = await total();
      const res = await gw.gql(
        'mutation($t: ID!, $u: ID!, $a: [ID!]!) { assignApplicationsToUser(tenantId: $t, userId: $u, applicationIds: $a) { id } }',
        { t: f.t1a, u: user, a: [f.apps.global, f.apps.t1a, f.apps.p2] },
        f.su,
      );
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect(await total()).toBe(before);
      const held = ok(await gw.gql('query($t: ID!, $u: ID!) { userApplications(tenantId: $t, userId: $u) { totalCount } }', { t: f.t1a, u: user }, f.su));
      expect(held.userApplications.totalCount).toBe(0);
    });

    it('FORBIDDEN and NOT_FOUND writes leave no event', async () => {
      const before = await total();
      expect(codeOf(await gw.gql('mutation($id: ID!) { updateApplication(id: $id, input: { name: "x" }) { id } }', { id: f.apps.global }, f.tokens.ta1a))).toBe('FORBIDDEN');
      expect(codeOf(await gw.gql('mutation($t: ID!) { createUser(tenantId: $t, input: { email: "x@t2.test" }) { id } }', { t: f.t2 }, f.tokens.ta1a))).toBe('NOT_FOUND');
      expect(codeOf(await gw.gql('mutation { createPartner(input: { name: "Nope" }) { id } }', {}, f.tokens.ro))).toBe('FORBIDDEN');
      expect(codeOf(await gw.gql('mutation($id: ID!) { deletePartner(id: $id) }', { id: f.p1 }, f.su))).toBe('CONFLICT');
      expect(codeOf(await gw.gql('mutation { createTenant(input: { name: "" }) { id } }', {}, f.su))).toBe('BAD_USER_INPUT');
      expect(await total()).toBe(before);
    });

    it('a mutation that changes nothing writes nothing', async () => {
      const before = await total();
      await q(f.su, 'mutation($t: ID!, $g: ID!, $u: ID!) { addGroupMember(tenantId: $t, groupId: $g, userId: $u) { id } }', { t: f.t1a, g: f.g1a, u: f.u1a });
      await q(f.su, 'mutation($t: ID!, $u: ID!, $a: ID!) { assignApplicationToUser(tenantId: $t, userId: $u, applicationId: $a) { id } }', {
        t: f.t1a,
        u: f.u1a,
        a: f.apps.global,
      });
      await q(f.su, 'mutation($id: ID!) { updatePartner(id: $id, input: { name: "Partner One" }) { id } }', { id: f.p1 });
      expect(await total()).toBe(before);
    });
  });

  describe('auditEvents has the visibility of tenants', () => {
    const visible = async (token: string, filter: Record<string, unknown> = {}) =>
      ok(await gw.gql(EVENTS, { filter }, token)).auditEvents as { items: { tenantId: string | null; partnerId: string | null }[]; pagination: { totalItems: number } };

    it("a tenant admin sees only its tenant's events, and asking for another tenant gives nothing", async () => {
      const own = await visible(f.tokens.ta1a!);
      expect(own.items.length).toBeGreaterThan(0);
      expect(own.items.every((e) => e.tenantId === f.t1a)).toBe(true);
      expect((await visible(f.tokens.ta1a!, { tenantId: f.t2 })).pagination.totalItems).toBe(0);
      expect((await visible(f.tokens.ta2!, { tenantId: f.t1a })).pagination.totalItems).toBe(0);
      expect((await visible(f.tokens.mgmt!)).items.every((e) => e.tenantId === f.t1a)).toBe(true);
    });

    it('a partner admin sees the events of its partner and its tenants', async () => {
      const seen = await visible(f.tokens.pa1!);
      expect(seen.items.every((e) => e.partnerId === f.p1 || e.tenantId === f.t1a || e.tenantId === f.t1b || (e.tenantId !== null && ![f.t2, f.t0].includes(e.tenantId)))).toBe(
        true,
      );
      expect(seen.items.some((e) => e.tenantId === f.t2 || e.partnerId === f.p2 || e.tenantId === f.t0)).toBe(false);
      expect((await visible(f.tokens.pa1!, { tenantId: f.t2 })).pagination.totalItems).toBe(0);
    });

    it('filters by target and action', async () => {
      const events = await visible(f.su, { targetId: f.apps.t1a, action: 'application.rotate_secret' });
      expect(events.pagination.totalItems).toBe(1);
    });
  });
});
