import { ok, startTestGateway, type TestGateway } from './support/harness.js';
import { addMember, assignGroup, assignUser, createApplication, createGroup, createTenant, createUser } from './support/world.js';

/**
 * Issue #2 point 6: nested lists and counts are batched per request (DataLoader), so the number of
 * SQL statements of a query does not grow with the number of parent objects.
 */
const NESTED = `query($perPage: Int!) {
  applications(perPage: $perPage, search: "Bench") {
    items {
      name
      effectiveUserCount
      effectiveUsers(perPage: 5) { items { email tenant { name } } pagination { totalItems } }
      assignees { totalUsers }
      tenant { name }
    }
  }
}`;

const TENANT_TREE = `query($perPage: Int!) {
  tenants(perPage: $perPage, search: "Shop") {
    items {
      name
      partner { name }
      users(perPage: 3) { items { email groups { name } applications { applicationName } } pagination { totalItems } }
      groups { items { name members { items { email } } applications { applicationName } } }
      availableApplications(perPage: 2) { items { name } pagination { totalItems } }
    }
  }
}`;

describe('statement counts do not grow with the number of parents', () => {
  let gw: TestGateway;
  let su: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    const tenants = [];
    for (let i = 0; i < 4; i += 1) tenants.push(await createTenant(gw, su, `Shop ${i}`));
    const users: [string, string][] = [];
    for (const [i, tenant] of tenants.entries()) {
      for (let j = 0; j < 3; j += 1) users.push([tenant, await createUser(gw, su, tenant, `u${j}@shop${i}.test`)]);
      const group = await createGroup(gw, su, tenant, 'Crew');
      await addMember(gw, su, tenant, group, users[users.length - 1][1]);
    }
    for (let a = 0; a < 50; a += 1) {
      const tenant = tenants[a % tenants.length];
      const app = await createApplication(gw, su, { name: `Bench ${String(a).padStart(2, '0')}`, scope: a % 2 ? 'GLOBAL' : 'TENANT', tenantId: a % 2 ? undefined : tenant });
      const [owner, user] = users[a % users.length];
      if (a % 2 || owner === tenant) await assignUser(gw, su, owner, user, app.id);
      const group = ok(await gw.gql('query($t: ID!) { groups(tenantId: $t) { items { id } } }', { t: tenant }, su)).groups.items[0].id;
      await assignGroup(gw, su, tenant, group, app.id);
    }
  }, 180000);
  afterAll(() => gw.close());

  it('applications with effectiveUserCount and effectiveUsers: same statements for 2 and 50 applications', async () => {
    const two = await gw.gql(NESTED, { perPage: 2 }, su);
    const fifty = await gw.gql(NESTED, { perPage: 50 }, su);
    expect(ok(two).applications.items).toHaveLength(2);
    expect(ok(fifty).applications.items).toHaveLength(50);
    expect(ok(fifty).applications.items.some((a: any) => a.effectiveUsers.items.length > 0)).toBe(true);
    expect(fifty.sqlStatements).toBe(two.sqlStatements);
    // list + count, effective pages, effective counts, assignees, tenants (by id) ×2 (application.tenant, effective user tenant)
    expect(fifty.sqlStatements).toBeLessThanOrEqual(8);
  });

  it('tenants with nested users, groups, members and applications: same statements for 1 and 4 tenants', async () => {
    const one = await gw.gql(TENANT_TREE, { perPage: 1 }, su);
    const four = await gw.gql(TENANT_TREE, { perPage: 4 }, su);
    expect(ok(one).tenants.items).toHaveLength(1);
    expect(ok(four).tenants.items).toHaveLength(4);
    expect(four.sqlStatements).toBe(one.sqlStatements);
  });
});
