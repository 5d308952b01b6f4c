import { ok, startTestGateway, type TestGateway } from '../support/harness.js';
import { assignUser, createUser } from '../support/world.js';
import { buildAuthWorld, type AuthWorld } from './fixtures.js';

/**
 * SPEC §3 "the same rules hold for every nested field": a nested list shows only what the caller may
 * see, and its counts and page totals agree with its items (issue 3 point 3).
 */
const GLOBAL_EFFECTIVE = `query($id: ID!, $page: Int!, $perPage: Int!, $t: ID) {
  application(id: $id) {
    effectiveUserCount(tenantId: $t)
    effectiveUsers(page: $page, perPage: $perPage, tenantId: $t) {
      items { email tenantId tenant { id } }
      pagination { page perPage totalItems totalPages }
    }
  }
}`;

describe('nested fields do not leak (SPEC §3)', () => {
  let gw: TestGateway;
  let f: AuthWorld;
  const t1aUsers = ['u1a@t1a.test', 'extra1@t1a.test', 'extra2@t1a.test', 'extra3@t1a.test'].sort();
  const t1bUsers = ['u1b@t1b.test', 'extra1@t1b.test', 'extra2@t1b.test'].sort();
  const t2Users = ['u2@t2.test', 'extra1@t2.test'].sort();
  const t0Users = ['u0@t0.test'];

  beforeAll(async () => {
    gw = await startTestGateway();
    f = await buildAuthWorld(gw);
    for (const [tenant, emails] of [
      [f.t1a, t1aUsers],
      [f.t1b, t1bUsers],
      [f.t2, t2Users],
    ] as const) {
      for (const email of emails.filter((e) => e.startsWith('extra'))) {
        await assignUser(gw, f.su, tenant, await createUser(gw, f.su, tenant, email), f.apps.global);
      }
    }
  });
  afterAll(() => gw.close());

  /** Walks every page of GLOBAL's effective users as `viewer`; checks totals on each page. */
  async function allPages(viewer: string, perPage: number, tenantId?: string) {
    const seen: { email: string; tenantId: string }[] = [];
    let totalItems = -1;
    for (let page = 1; ; page += 1) {
      const { application } = ok(await gw.gql(GLOBAL_EFFECTIVE, { id: f.apps.global, page, perPage, t: tenantId ?? null }, viewer));
      const { items, pagination } = application.effectiveUsers;
      if (totalItems === -1) totalItems = pagination.totalItems;
      expect(pagination.totalItems).toBe(totalItems);
      expect(application.effectiveUserCount).toBe(totalItems);
      expect(pagination.totalPages).toBe(Math.ceil(totalItems / perPage));
      for (const item of items) expect(item.tenant?.id ?? item.tenantId).toBe(item.tenantId);
      seen.push(...items);
      if (page >= pagination.totalPages) break;
    }
    expect(seen).toHaveLength(totalItems);
    return { emails: seen.map((s) => s.email).sort(), tenants: [...new Set(seen.map((s) => s.tenantId))].sort(), totalItems };
  }

  it("a tenant admin reading a GLOBAL application's effectiveUsers gets only its own tenant's users, with a matching total", async () => {
    const result = await allPages(f.tokens.ta1a!, 3);
    expect(result).toEqual({ emails: t1aUsers, tenants: [f.t1a], totalItems: 4 });
  });

  it('the same through a management token (tenant admin of T1a)', async () => {
    expect((await allPages(f.tokens.mgmt!, 2)).emails).toEqual(t1aUsers);
  });

  it("a partner admin gets the users of its partner's tenants only", async () => {
    const result = await allPages(f.tokens.pa1!, 2);
    expect(result).toEqual({ emails: [...t1aUsers, ...t1bUsers].sort(), tenants: [f.t1a, f.t1b].sort(), totalItems: 7 });
    expect((await allPages(f.tokens.pa2!, 1)).emails).toEqual(t2Users);
  });

  it("a super admin gets every tenant's users", async () => {
    const result = await allPages(f.su, 5);
    expect(result.emails).toEqual([...t1aUsers, ...t1bUsers, ...t2Users, ...t0Users].sort());
  });

  it('the tenantId argument cannot widen the view: another tenant gives an empty page with total 0', async () => {
    const { application } = ok(await gw.gql(GLOBAL_EFFECTIVE, { id: f.apps.global, page: 1, perPage: 10, t: f.t2 }, f.tokens.ta1a));
    expect(application.effectiveUserCount).toBe(0);
    expect(application.effectiveUsers).toEqual({ items: [], pagination: { page: 1, perPage: 10, totalItems: 0, totalPages: 0 } });
  });

  it("the tenantId argument narrows a partner admin's view to one of its tenants", async () => {
    expect((await allPages(f.tokens.pa1!, 2, f.t1b)).emails).toEqual(t1bUsers);
  });

  it("every application of a tenant admin's list: count = page total = items, all in its tenant", async () => {
    const data = ok(
      await gw.gql(
        `{ applications(perPage: 100) { items { name effectiveUserCount effectiveUsers(perPage: 100) { items { tenantId } pagination { totalItems } } assignees { users totalUsers } } } }`,
        {},
        f.tokens.ta1a,
      ),
    );
    for (const app of data.applications.items) {
      expect({ name: app.name, count: app.effectiveUserCount }).toEqual({ name: app.name, count: app.effectiveUsers.pagination.totalItems });
      expect(app.effectiveUsers.items).toHaveLength(app.effectiveUserCount);
      expect(app.effectiveUsers.items.every((i: { tenantId: string }) => i.tenantId === f.t1a)).toBe(true);
      expect(app.assignees.totalUsers).toBe(app.assignees.users.length);
    }
    const global = data.applications.items.find((a: { name: string }) => a.name === 'Global App');
    expect(global.effectiveUserCount).toBe(4);
    expect(global.assignees.totalUsers).toBe(4);
  });

  it('Partner.tenants for a tenant admin shows only its tenant (items and total)', async () => {
    const data = ok(await gw.gql('query($id: ID!) { partner(id: $id) { tenants { items { id } pagination { totalItems totalPages } } } }', { id: f.p1 }, f.tokens.ta1a));
    expect(data.partner.tenants).toEqual({ items: [{ id: f.t1a }], pagination: { totalItems: 1, totalPages: 1 } });
    const viaTenant = ok(await gw.gql('query($id: ID!) { tenant(id: $id) { partner { tenants { items { id } pagination { totalItems } } } } }', { id: f.t1a }, f.tokens.ta1a));
    expect(viaTenant.tenant.partner.tenants).toEqual({ items: [{ id: f.t1a }], pagination: { totalItems: 1 } });
  });

  it("a partner admin walking partners → tenants → users sees only its tenants' users, totals agree", async () => {
    const data = ok(
      await gw.gql(
        '{ partners { items { id tenants { items { id users(perPage: 2) { items { tenantId } pagination { totalItems totalPages } } } pagination { totalItems } } } } }',
        {},
        f.tokens.pa1,
      ),
    );
    expect(data.partners.items.map((p: { id: string }) => p.id)).toEqual([f.p1]);
    const tenants = data.partners.items[0].tenants;
    expect(tenants.pagination.totalItems).toBe(2);
    const totals = Object.fromEntries(tenants.items.map((t: any) => [f.sym(t.id), t.users.pagination.totalItems]));
    expect(totals).toEqual({ t1a: 4, t1b: 3 });
    for (const tenant of tenants.items) {
      expect(tenant.users.items.every((u: { tenantId: string }) => u.tenantId === tenant.id)).toBe(true);
      expect(tenant.users.pagination.totalPages).toBe(Math.ceil(tenant.users.pagination.totalItems / 2));
    }
  });

  it('lists and their totals agree for a tenant admin (applications, tenants, availableApplications, auditEvents)', async () => {
    const data = ok(
      await gw.gql(
        `query($t: ID!) {
          applications(perPage: 1) { items { id } pagination { totalItems totalPages } }
          tenants(perPage: 1) { items { id } pagination { totalItems } }
          tenant(id: $t) { availableApplications(perPage: 1) { pagination { totalItems totalPages } } }
          auditEvents(perPage: 100) { items { tenantId } pagination { totalItems } }
        }`,
        { t: f.t1a },
        f.tokens.ta1a,
      ),
    );
    expect(data.applications.pagination).toEqual({ totalItems: 4, totalPages: 4 });
    expect(data.tenants).toEqual({ items: [{ id: f.t1a }], pagination: { totalItems: 1 } });
    expect(data.tenant.availableApplications.pagination).toEqual({ totalItems: 4, totalPages: 4 });
    expect(data.auditEvents.items).toHaveLength(data.auditEvents.pagination.totalItems);
    expect(new Set(data.auditEvents.items.map((e: { tenantId: string }) => e.tenantId))).toEqual(new Set([f.t1a]));
  });

  it('an application token sees its own effective users in every tenant of its scope, nothing else', async () => {
    const data = ok(
      await gw.gql(
        'query($id: ID!) { application(id: $id) { effectiveUserCount effectiveUsers { items { email } pagination { totalItems } } } }',
        { id: f.apps.t1a },
        f.tokens.app,
      ),
    );
    expect(data.application).toEqual({ effectiveUserCount: 1, effectiveUsers: { items: [{ email: 'u1a@t1a.test' }], pagination: { totalItems: 1 } } });
  });

  it("a user of another tenant reached through a group of the caller's tenant is not possible: members are of the group's tenant", async () => {
    const data = ok(
      await gw.gql('query($t: ID!, $g: ID!) { group(tenantId: $t, id: $g) { members { items { tenantId } pagination { totalItems } } } }', { t: f.t1a, g: f.g1a }, f.tokens.ta1a),
    );
    expect(data.group.members).toEqual({ items: [{ tenantId: f.t1a }], pagination: { totalItems: 1 } });
  });
});
