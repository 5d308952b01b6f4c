import { ok, startTestGateway, type TestGateway } from './support/harness.js';
import { createGroup, createTenant } from './support/world.js';

/**
 * Requests overlap: writes run in transactions while reads go on. On the embedded database there is a
 * single connection, so a request that read outside its own transaction would wait forever; this
 * proves overlapping requests all finish, with every write kept.
 */
describe('overlapping requests', () => {
  let gw: TestGateway;
  let su: string;
  let tenant: string;
  let group: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    tenant = await createTenant(gw, su, 'Busy');
    group = await createGroup(gw, su, tenant, 'Everyone');
  });
  afterAll(() => gw.close());

  it('40 overlapping creates, memberships, assignments and reads all complete', async () => {
    const app = ok(await gw.gql('mutation { createApplication(input: { name: "Shared", applicationType: web, scope: GLOBAL }) { application { id } } }', {}, su)).createApplication
      .application.id;
    const tenantAdmin = await gw.token({ sub: 'ta', role: 'tenant_admin', tenant_id: tenant, scope: 'admin:read admin:write' });
    const work = Array.from({ length: 40 }, async (_, i) => {
      const token = i % 2 ? su : tenantAdmin;
      const user = ok(await gw.gql('mutation($t: ID!, $e: String!) { createUser(tenantId: $t, input: { email: $e }) { id } }', { t: tenant, e: `p${i}@busy.test` }, token))
        .createUser.id;
      await Promise.all([
        gw.gql('mutation($t: ID!, $g: ID!, $u: ID!) { addGroupMember(tenantId: $t, groupId: $g, userId: $u) { id } }', { t: tenant, g: group, u: user }, token),
        gw.gql('mutation($t: ID!, $u: ID!, $a: ID!) { assignApplicationToUser(tenantId: $t, userId: $u, applicationId: $a) { id } }', { t: tenant, u: user, a: app }, token),
        gw.gql('query($a: ID!) { application(id: $a) { effectiveUserCount } }', { a: app }, token),
      ]).then((results) => results.forEach((r) => ok(r)));
    });
    await Promise.all(work);
    const totals = ok(
      await gw.gql(
        'query($a: ID!, $t: ID!, $g: ID!) { application(id: $a) { effectiveUserCount } groupMembers(tenantId: $t, groupId: $g) { pagination { totalItems } } }',
        { a: app, t: tenant, g: group },
        su,
      ),
    );
    expect(totals.application.effectiveUserCount).toBe(40);
    expect(totals.groupMembers.pagination.totalItems).toBe(40);
  });
});

describe('overlapping tenant creates with the same name', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  it('each gets its own derived slug', async () => {
    const su = await gw.superToken();
    const results = await Promise.all(Array.from({ length: 6 }, () => gw.gql('mutation { createTenant(input: { name: "Same Name" }) { slug } }', {}, su)));
    const slugs = results.map((r) => ok(r).createTenant.slug).sort();
    expect(slugs).toEqual(['same-name', 'same-name-2', 'same-name-3', 'same-name-4', 'same-name-5', 'same-name-6']);
  });
});
