import { codeOf, ok, startTestGateway, type TestGateway } from './support/harness.js';
import { addMember, assignGroup, assignUser, buildWorld, createGroup, createUser, gqlAs, type World } from './support/world.js';

/** SPEC §2: who holds an application, computed by the database. */
const EFFECTIVE = `query($a: ID!, $t: ID, $page: Int, $perPage: Int) {
  effectiveUsers(applicationId: $a, tenantId: $t, page: $page, perPage: $perPage) {
    items { id email name tenantId tenantName direct groups { id name } }
    pagination { page perPage totalItems totalPages }
  }
}`;

describe('effective users (SPEC §2)', () => {
  let gw: TestGateway;
  let su: string;
  let w: World;
  const u: Record<string, string> = {};
  const g: Record<string, string> = {};

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    w = await buildWorld(gw);
    // t1a: direct (dora), via group (gus), both (bea), member of two assigned groups (mia), deleted, disabled
    u.dora = await createUser(gw, su, w.t1a, 'dora@t1a.test');
    u.gus = await createUser(gw, su, w.t1a, 'gus@t1a.test');
    u.bea = await createUser(gw, su, w.t1a, 'bea@t1a.test');
    u.mia = await createUser(gw, su, w.t1a, 'mia@t1a.test');
    u.del = await createUser(gw, su, w.t1a, 'del@t1a.test');
    u.dis = await createUser(gw, su, w.t1a, 'dis@t1a.test', { status: 'disabled' });
    u.none = await createUser(gw, su, w.t1a, 'none@t1a.test');
    u.b1 = await createUser(gw, su, w.t1b, 'b1@t1b.test');
    u.x2 = await createUser(gw, su, w.t2, 'x2@t2.test');
    u.z0 = await createUser(gw, su, w.t0, 'z0@t0.test');
    g.staff = await createGroup(gw, su, w.t1a, 'Staff');
    g.ops = await createGroup(gw, su, w.t1a, 'Ops');
    g.unassigned = await createGroup(gw, su, w.t1a, 'Unassigned');
    for (const user of [u.gus, u.bea, u.mia, u.del, u.dis]) await addMember(gw, su, w.t1a, g.staff, user);
    await addMember(gw, su, w.t1a, g.ops, u.mia);
    await addMember(gw, su, w.t1a, g.unassigned, u.none);
    for (const app of [w.apps.global, w.apps.p1, w.apps.t1a]) {
      await assignUser(gw, su, w.t1a, u.dora, app);
      await assignUser(gw, su, w.t1a, u.bea, app);
      await assignGroup(gw, su, w.t1a, g.staff, app);
    }
    await assignGroup(gw, su, w.t1a, g.ops, w.apps.global);
    await assignUser(gw, su, w.t1a, u.del, w.apps.global);
    await assignUser(gw, su, w.t1b, u.b1, w.apps.global);
    await assignUser(gw, su, w.t1b, u.b1, w.apps.p1);
    await assignUser(gw, su, w.t2, u.x2, w.apps.global);
    await assignUser(gw, su, w.t0, u.z0, w.apps.global);
    await gqlAs(gw, su, 'mutation($t: ID!, $u: ID!) { deleteUser(tenantId: $t, id: $u) }', { t: w.t1a, u: u.del });
  });
  afterAll(() => gw.close());

  const emails = async (applicationId: string, extra: Record<string, unknown> = {}) =>
    ok(await gw.gql(EFFECTIVE, { a: applicationId, perPage: 100, ...extra }, su)).effectiveUsers.items.map((i: { email: string }) => i.email);

  it('GLOBAL: direct and group users of every tenant, each once, ordered by email, without deleted or disabled users', async () => {
    expect(await emails(w.apps.global)).toEqual(['b1@t1b.test', 'bea@t1a.test', 'dora@t1a.test', 'gus@t1a.test', 'mia@t1a.test', 'x2@t2.test', 'z0@t0.test']);
  });

  it('marks direct and lists the assigned groups through which each user has access', async () => {
    const items = ok(await gw.gql(EFFECTIVE, { a: w.apps.global, t: w.t1a }, su)).effectiveUsers.items;
    const byEmail = Object.fromEntries(items.map((i: any) => [i.email, i]));
    expect(byEmail['dora@t1a.test']).toMatchObject({ direct: true, groups: [], tenantId: w.t1a, tenantName: 'Tenant 1A', name: 'dora' });
    expect(byEmail['gus@t1a.test']).toMatchObject({ direct: false, groups: [{ id: g.staff, name: 'Staff' }] });
    expect(byEmail['bea@t1a.test']).toMatchObject({ direct: true, groups: [{ id: g.staff, name: 'Staff' }] });
    expect(byEmail['mia@t1a.test'].groups).toEqual([
      { id: g.ops, name: 'Ops' },
      { id: g.staff, name: 'Staff' },
    ]);
    expect(byEmail['none@t1a.test']).toBeUndefined();
  });

  it("PARTNER: only users of the partner's tenants", async () => {
    // x2 (t2, other partner) and z0 (no partner) hold nothing of p1; b1 in t1b does.
    expect(await emails(w.apps.p1)).toEqual(['b1@t1b.test', 'bea@t1a.test', 'dora@t1a.test', 'gus@t1a.test', 'mia@t1a.test']);
  });

  it('TENANT: only users of that tenant, even when assigned elsewhere by mistake', async () => {
    expect(await emails(w.apps.t1a)).toEqual(['bea@t1a.test', 'dora@t1a.test', 'gus@t1a.test', 'mia@t1a.test']);
  });

  it('restricts to one tenant with tenantId', async () => {
    expect(await emails(w.apps.global, { t: w.t2 })).toEqual(['x2@t2.test']);
  });

  it('paginates with a correct total', async () => {
    const page2 = ok(await gw.gql(EFFECTIVE, { a: w.apps.global, page: 2, perPage: 3 }, su)).effectiveUsers;
    expect(page2.pagination).toEqual({ page: 2, perPage: 3, totalItems: 7, totalPages: 3 });
    expect(page2.items.map((i: any) => i.email)).toEqual(['gus@t1a.test', 'mia@t1a.test', 'x2@t2.test']);
    const beyond = ok(await gw.gql(EFFECTIVE, { a: w.apps.global, page: 9, perPage: 3 }, su)).effectiveUsers;
    expect(beyond).toEqual({ items: [], pagination: { page: 9, perPage: 3, totalItems: 7, totalPages: 3 } });
  });

  it('rejects page and perPage out of range', async () => {
    expect(codeOf(await gw.gql(EFFECTIVE, { a: w.apps.global, perPage: 101 }, su))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gw.gql(EFFECTIVE, { a: w.apps.global, page: 0 }, su))).toBe('BAD_USER_INPUT');
  });

  it('counts agree with the list (effectiveUserCount)', async () => {
    const data = ok(await gw.gql('query($a: ID!) { application(id: $a) { effectiveUserCount effectiveUsers { pagination { totalItems } } } }', { a: w.apps.global }, su));
    expect(data.application.effectiveUserCount).toBe(7);
    expect(data.application.effectiveUsers.pagination.totalItems).toBe(7);
  });

  describe('group names read only when the operation selects them', () => {
    const byEmail = (items: { email: string; groups?: unknown }[]) => Object.fromEntries(items.map((i) => [i.email, i.groups]));
    const miaGroups = () => [
      { id: g.ops, name: 'Ops' },
      { id: g.staff, name: 'Staff' },
    ];

    it('through a fragment spread, an inline fragment and an alias, beside a selection without them', async () => {
      const data = ok(
        await gw.gql(
          `query($a: ID!, $t: ID) {
            bare: effectiveUsers(applicationId: $a, tenantId: $t) { items { email } }
            spread: effectiveUsers(applicationId: $a, tenantId: $t) { ...Page }
            inline: effectiveUsers(applicationId: $a, tenantId: $t) { items { email ... on EffectiveUser { via: groups { id name } } } }
          }
          fragment Page on EffectiveUserPage { items { ...Row } }
          fragment Row on EffectiveUser { email groups { id name } }`,
          { a: w.apps.global, t: w.t1a },
          su,
        ),
      );
      expect(data.bare.items.map((i: { email: string }) => i.email)).toEqual(['bea@t1a.test', 'dora@t1a.test', 'gus@t1a.test', 'mia@t1a.test']);
      expect(byEmail(data.spread.items)['mia@t1a.test']).toEqual(miaGroups());
      expect(byEmail(data.spread.items)['dora@t1a.test']).toEqual([]);
      expect(Object.fromEntries(data.inline.items.map((i: { email: string; via: unknown }) => [i.email, i.via]))['mia@t1a.test']).toEqual(miaGroups());
    });

    it('nested under applications, with and without groups in one operation', async () => {
      const data = ok(
        await gw.gql(
          `query($t: ID!) {
            applications(perPage: 50) { items { id
              plain: effectiveUsers(tenantId: $t, perPage: 10) { items { email } }
              full: effectiveUsers(tenantId: $t, perPage: 10) { items { email groups { name } } } } }
          }`,
          { t: w.t1a },
          su,
        ),
      );
      const global = data.applications.items.find((a: { id: string }) => a.id === w.apps.global);
      expect(global.plain.items.map((i: { email: string }) => i.email)).toEqual(global.full.items.map((i: { email: string }) => i.email));
      expect(byEmail(global.full.items)['mia@t1a.test']).toEqual([{ name: 'Ops' }, { name: 'Staff' }]);
      expect(byEmail(global.full.items)['gus@t1a.test']).toEqual([{ name: 'Staff' }]);
    });

    it('@include and @skip as GraphQL applies them: left out when excluded, read when included', async () => {
      const query = `query($a: ID!, $t: ID, $with: Boolean!) {
        effectiveUsers(applicationId: $a, tenantId: $t) { items { email groups @include(if: $with) { name } ... @skip(if: $with) { email } } }
      }`;
      const included = ok(await gw.gql(query, { a: w.apps.global, t: w.t1a, with: true }, su)).effectiveUsers.items;
      expect(byEmail(included)['mia@t1a.test']).toEqual([{ name: 'Ops' }, { name: 'Staff' }]);
      const left = ok(await gw.gql(query, { a: w.apps.global, t: w.t1a, with: false }, su)).effectiveUsers.items;
      expect(left.map((i: { email: string; groups?: unknown }) => [i.email, i.groups])).toEqual(included.map((i: { email: string }) => [i.email, undefined]));
    });

    it('changesCursor through a fragment too', async () => {
      const page = ok(
        await gw.gql(
          `query($a: ID!) { effectiveUsers(applicationId: $a) { ...Sync } } fragment Sync on EffectiveUserPage { changesCursor items { email } }`,
          { a: w.apps.global },
          su,
        ),
      ).effectiveUsers;
      expect(typeof page.changesCursor).toBe('string');
      const skipped = ok(
        await gw.gql(`query($a: ID!) { effectiveUsers(applicationId: $a) { changesCursor @skip(if: true) hasNextPage } }`, { a: w.apps.global }, su),
      ).effectiveUsers;
      expect(skipped).toEqual({ hasNextPage: false });
    });
  });

  it('a deleted group grants nothing; a deleted tenant hides its users', async () => {
    const extra = await createGroup(gw, su, w.t1b, 'Temp');
    const temp = await createUser(gw, su, w.t1b, 'temp@t1b.test');
    await addMember(gw, su, w.t1b, extra, temp);
    await assignGroup(gw, su, w.t1b, extra, w.apps.p1);
    expect(await emails(w.apps.p1)).toContain('temp@t1b.test');
    await gqlAs(gw, su, 'mutation($t: ID!, $g: ID!) { deleteGroup(tenantId: $t, id: $g) }', { t: w.t1b, g: extra });
    expect(await emails(w.apps.p1)).not.toContain('temp@t1b.test');

    await gqlAs(gw, su, 'mutation($t: ID!) { deleteTenant(id: $t) }', { t: w.t0 });
    expect(await emails(w.apps.global)).not.toContain('z0@t0.test');
  });

  it('a deleted application leaves the lists and reads of it are NOT_FOUND', async () => {
    const su2 = su;
    const app = ok(await gw.gql('mutation { createApplication(input: { name: "Doomed", applicationType: web, scope: GLOBAL }) { application { id } } }', {}, su2)).createApplication
      .application.id;
    await assignUser(gw, su, w.t1a, u.dora, app);
    await gqlAs(gw, su, 'mutation($a: ID!) { deleteApplication(id: $a) }', { a: app });
    expect(codeOf(await gw.gql(EFFECTIVE, { a: app }, su))).toBe('NOT_FOUND');
    expect(codeOf(await gw.gql('query($a: ID!) { application(id: $a) { id } }', { a: app }, su))).toBe('NOT_FOUND');
    const mine = ok(await gw.gql('query($t: ID!, $u: ID!) { userApplications(tenantId: $t, userId: $u) { applications { applicationId } } }', { t: w.t1a, u: u.dora }, su));
    expect(mine.userApplications.applications.map((a: any) => a.applicationId)).not.toContain(app);
  });
});
