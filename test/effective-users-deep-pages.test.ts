import { nearestAnchor } from '../src/modules/assignment/effective-users.anchors.js';
import { ok, startTestGateway, type TestGateway } from './support/harness.js';
import { assignUser, createApplication, createTenant, createUser, gqlAs } from './support/world.js';

/**
 * Deep `page=` values skip from page-boundary keys remembered per (application, tenant constraint) and
 * index version (src/modules/assignment/effective-users.anchors.ts): pages must stay exactly those of
 * a plain OFFSET, before and after writes that move, add and remove users, and cost one statement.
 */
const PAGE = `query($a: ID!, $t: ID, $page: Int, $perPage: Int) {
  effectiveUsers(applicationId: $a, tenantId: $t, page: $page, perPage: $perPage) {
    items { id email tenantId direct }
    pagination { page perPage totalItems totalPages }
  }
}`;

describe('effective users: deep pages from remembered page boundaries', () => {
  let gw: TestGateway;
  let su: string;
  let tenantAdmin: string;
  let app: string;
  let ta: string;
  let tb: string;
  const users: { id: string; tenant: string }[] = [];

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    ta = await createTenant(gw, su, 'Deep A');
    tb = await createTenant(gw, su, 'Deep B');
    tenantAdmin = await gw.token({ sub: 'deep-admin', role: 'tenant_admin', tenant_id: ta, scope: 'admin:read' });
    app = (await createApplication(gw, su, { name: 'Deep', scope: 'GLOBAL' })).id;
    for (let i = 0; i < 20; i += 1) {
      const tenant = i % 3 ? ta : tb;
      const id = await createUser(gw, su, tenant, `u${String((i * 7) % 20).padStart(2, '0')}@deep.test`);
      await assignUser(gw, su, tenant, id, app);
      users.push({ id, tenant });
    }
  }, 180000);
  afterAll(() => gw.close());

  const read = async (token: string, variables: Record<string, unknown>) => {
    const result = await gw.gql(PAGE, { a: app, ...variables }, token);
    return { page: ok(result).effectiveUsers, statements: result.sqlStatements };
  };

  /** Every page of 3 in an order that reads deep pages first, then their neighbours, twice; each equal to the slice of the whole list. */
  const expectPagesMatchTheWholeList = async (token: string, tenantId?: string) => {
    const whole = (await read(token, { t: tenantId, perPage: 100 })).page;
    for (const pageNumber of [5, 6, 4, 7, 2, 5, 3, 6, 1, 8]) {
      const { page, statements } = await read(token, { t: tenantId, page: pageNumber, perPage: 3 });
      expect(page.items).toEqual(whole.items.slice((pageNumber - 1) * 3, pageNumber * 3));
      expect(page.pagination.totalItems).toBe(whole.pagination.totalItems);
      // Super admins: the page, its total and the visibility checks in one statement (tenant admins: plus the token's tenant lookup).
      if (token === su && !tenantId) expect(statements).toBe(1);
    }
  };

  it('pages equal the slices of the whole list, for a super admin, a tenant filter and a tenant admin', async () => {
    await expectPagesMatchTheWholeList(su);
    await expectPagesMatchTheWholeList(su, tb);
    await expectPagesMatchTheWholeList(tenantAdmin);
    // Boundaries were remembered (so later reads skip from them).
    expect(nearestAnchor(gw.db.orm.em.getDriver(), `${app}|*|*`, 12)).not.toBeNull();
  });

  it('stay exact after writes that move, add and remove users (a new index version)', async () => {
    const moved = users[3];
    // Renaming moves the user to the front of the order: every later position shifts.
    await gqlAs(gw, su, 'mutation($t: ID!, $u: ID!) { updateUser(tenantId: $t, id: $u, input: { email: "a-first@deep.test" }) { id } }', { t: moved.tenant, u: moved.id });
    await expectPagesMatchTheWholeList(su);
    await expectPagesMatchTheWholeList(tenantAdmin);
    const added = await createUser(gw, su, ta, 'u10b@deep.test');
    await assignUser(gw, su, ta, added, app);
    await expectPagesMatchTheWholeList(su);
    await expectPagesMatchTheWholeList(tenantAdmin);
    await gqlAs(gw, su, 'mutation($t: ID!, $u: ID!, $a: ID!) { unassignApplicationFromUser(tenantId: $t, userId: $u, applicationId: $a) }', {
      t: users[1].tenant,
      u: users[1].id,
      a: app,
    });
    await gqlAs(gw, su, 'mutation($t: ID!, $u: ID!) { deleteUser(tenantId: $t, id: $u) }', { t: users[2].tenant, u: users[2].id });
    await expectPagesMatchTheWholeList(su);
    await expectPagesMatchTheWholeList(su, tb);
    await expectPagesMatchTheWholeList(tenantAdmin);
  }, 120000);

  it('REST pages leave out the change-feed position unless the request names `cursor`', async () => {
    const res = await gw.http.get(`/api/v1/admin/applications/${app}/effective-users?page=4&per_page=3`).set('authorization', `Bearer ${su}`);
    expect(res.status).toBe(200);
    expect(res.body.pagination).not.toHaveProperty('changes_cursor');
    expect(res.body.data).toHaveLength(3);
    // Naming `cursor`, even empty, still brings `changes_cursor` (and `next_cursor`).
    const walk = await gw.http.get(`/api/v1/admin/applications/${app}/effective-users?per_page=3&cursor=`).set('authorization', `Bearer ${su}`);
    expect(walk.status).toBe(200);
    expect(typeof walk.body.pagination.changes_cursor).toBe('string');
    expect(typeof walk.body.pagination.next_cursor).toBe('string');
  });
});
