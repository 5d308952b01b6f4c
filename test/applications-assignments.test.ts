import { codeOf, ok, startTestGateway, type TestGateway } from './support/harness.js';
import { addMember, assignGroup, assignUser, buildWorld, createGroup, createUser, gqlAs, type World } from './support/world.js';

/** SPEC §1 applications (scope rules, validation, availability) and assignments (idempotent, bulk, unassign). */
const CREATE_APP =
  'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { clientSecret application { id scope partnerId tenantId redirectUris inviteMemberEmailExpirationMinutes } } }';
const USER_APPS = `query($t: ID!, $u: ID!, $g: Boolean!) {
  userApplications(tenantId: $t, userId: $u, includeGroupAssignments: $g) {
    userId totalCount applications { applicationId applicationName applicationClientId assignedAt assignmentType assignedVia }
  }
}`;

describe('applications and assignments', () => {
  let gw: TestGateway;
  let su: string;
  let w: World;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    w = await buildWorld(gw);
  });
  afterAll(() => gw.close());

  describe('creating applications', () => {
    it('infers the scope from the owner given', async () => {
      const app = ok(await gw.gql(CREATE_APP, { i: { name: 'Inferred', applicationType: 'spa', tenantId: w.t1a } }, su)).createApplication;
      expect(app.application).toMatchObject({ scope: 'TENANT', tenantId: w.t1a, partnerId: null, inviteMemberEmailExpirationMinutes: null });
      expect(app.clientSecret.length).toBeGreaterThanOrEqual(43);
    });

    it.each([
      ['PARTNER without partnerId', { scope: 'PARTNER' }, ['input', 'partnerId']],
      ['TENANT without tenantId', { scope: 'TENANT' }, ['input', 'tenantId']],
      ['GLOBAL with a tenantId', { scope: 'GLOBAL', tenantIdKey: true }, ['input', 'tenantId']],
      ['a relative redirect URI', { scope: 'GLOBAL', redirectUris: ['/callback'] }, ['input', 'redirectUris', 0]],
      ['a management app that is not TENANT scoped', { scope: 'GLOBAL', applicationType: 'management' }, ['input', 'applicationType']],
      ['management fields on a web app', { scope: 'GLOBAL', subdomain: 'abc' }, ['input', 'subdomain']],
    ])('rejects %s naming the field', async (_label, extra: Record<string, unknown>, path) => {
      const { tenantIdKey, ...rest } = extra;
      const input = { name: 'Bad', applicationType: 'web', ...rest, ...(tenantIdKey ? { tenantId: w.t1a } : {}) };
      const bad = await gw.gql(CREATE_APP, { i: input }, su);
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors![0].extensions.fields!.map((f) => f.path)).toContainEqual(path);
    });

    it('rejects an unknown application type and a PARTNER app of an unknown partner', async () => {
      expect(codeOf(await gw.gql(CREATE_APP, { i: { name: 'X', applicationType: 'mainframe' } }, su))).toBe('BAD_USER_INPUT');
      const ghost = await gw.gql(CREATE_APP, { i: { name: 'X', applicationType: 'web', scope: 'PARTNER', partnerId: '00000000-0000-4000-8000-000000000000' } }, su);
      expect(codeOf(ghost)).toBe('NOT_FOUND');
    });

    it('management applications default invite expiration to 2880 minutes', async () => {
      const data = ok(
        await gw.gql(
          'mutation($t: ID!) { createManagementApplication(tenantId: $t, input: { name: "Ops Bot", subdomain: "ops" }) { clientSecret application { applicationType scope tenantId subdomain inviteMemberEmailExpirationMinutes } } }',
          { t: w.t1a },
          su,
        ),
      ).createManagementApplication;
      expect(data.application).toEqual({ applicationType: 'management', scope: 'TENANT', tenantId: w.t1a, subdomain: 'ops', inviteMemberEmailExpirationMinutes: 2880 });
    });

    it('search matches name, description and client id, case-insensitively', async () => {
      const { clientId } = ok(
        await gw.gql(
          'mutation { createApplication(input: { name: "Needle", description: "haystack", applicationType: web, scope: GLOBAL }) { application { clientId } } }',
          {},
          su,
        ),
      ).createApplication.application;
      for (const search of ['NEEDLE', 'HayStack', clientId.slice(-8)]) {
        const names = ok(await gw.gql('query($s: String) { applications(search: $s) { items { name } } }', { s: search }, su)).applications.items;
        expect(names).toEqual([{ name: 'Needle' }]);
      }
    });
  });

  describe('listing applications', () => {
    // Every field of Application, nested ones included: a list reads plain rows, `application(id)` an entity.
    const EVERY_FIELD = `id createdAt updatedAt deletedAt name description applicationType scope partnerId tenantId redirectUris clientId
      secretRotatedAt loginUri subdomain customDomain inviteMemberEmailExpirationMinutes pkce firstClientAuthenticationProtocol firstClient
      secrets { id createdAt expiresAt } partner { name } tenant { name } effectiveUserCount effectiveUsers(perPage: 5) { items { email } }
      assignees { users groups totalUsers }`;

    it('a list item answers every field as the application read alone does', async () => {
      const mgmt = ok(
        await gw.gql(
          `mutation($t: ID!) { createManagementApplication(tenantId: $t, input: {
            name: "Listed Mgmt", description: "all fields", loginUri: "https://ops.example.com/login", subdomain: "listed",
            customDomain: "listed.example.com", inviteMemberEmailExpirationMinutes: 60, pkce: enforcePkceAlongsideClientCredentials,
            firstClientAuthenticationProtocol: saml, firstClient: { name: "first", nested: { list: [1, "two"] } } }) { application { id } } }`,
          { t: w.t1a },
          su,
        ),
      ).createManagementApplication.application.id;
      const web = ok(
        await gw.gql(
          CREATE_APP,
          { i: { name: 'Listed Web', applicationType: 'web', partnerId: w.p1, redirectUris: ['https://a.example.com/cb', 'https://b.example.com/cb'] } },
          su,
        ),
      ).createApplication.application.id;
      await gqlAs(gw, su, 'mutation($a: ID!) { rotateApplicationSecret(id: $a, gracePeriodSeconds: 600) { id } }', { a: web });
      const tenantUser = await createUser(gw, su, w.t1a, 'listed@t1a.test');
      await assignUser(gw, su, w.t1a, tenantUser, mgmt);
      const deleted = ok(await gw.gql(CREATE_APP, { i: { name: 'Listed Deleted', applicationType: 'spa', scope: 'GLOBAL' } }, su)).createApplication.application.id;
      await gqlAs(gw, su, 'mutation($a: ID!) { deleteApplication(id: $a) }', { a: deleted });

      const listed = await gqlAs(gw, su, `{ applications(search: "Listed", includeDeleted: true) { items { ${EVERY_FIELD} } } }`);
      expect(listed.applications.items.map((a: { id: string }) => a.id).sort()).toEqual([mgmt, web, deleted].sort());
      for (const id of [mgmt, web]) {
        const alone = await gqlAs(gw, su, `query($id: ID!) { application(id: $id) { ${EVERY_FIELD} } }`, { id });
        expect(listed.applications.items.find((a: { id: string }) => a.id === id)).toEqual(alone.application);
      }
      const item = (id: string) => listed.applications.items.find((a: { id: string }) => a.id === id);
      expect(item(mgmt)).toMatchObject({ firstClient: { name: 'first', nested: { list: [1, 'two'] } }, pkce: 'enforcePkceAlongsideClientCredentials', effectiveUserCount: 1 });
      expect(item(web).secrets).toHaveLength(2);
      expect(item(web).secretRotatedAt).not.toBeNull();
      expect(item(deleted).deletedAt).not.toBeNull();
    });
  });

  describe('assignments', () => {
    let user: string;
    let group: string;

    beforeAll(async () => {
      user = await createUser(gw, su, w.t1a, 'holder@t1a.test');
      group = await createGroup(gw, su, w.t1a, 'Holders');
      await addMember(gw, su, w.t1a, group, user);
    });

    it('assigning twice keeps one assignment', async () => {
      const assign = 'mutation($t: ID!, $u: ID!, $a: ID!) { assignApplicationToUser(tenantId: $t, userId: $u, applicationId: $a) { id assignmentType } }';
      const first = ok(await gw.gql(assign, { t: w.t1a, u: user, a: w.apps.global }, su)).assignApplicationToUser;
      const second = ok(await gw.gql(assign, { t: w.t1a, u: user, a: w.apps.global }, su)).assignApplicationToUser;
      expect(second).toEqual(first);
      const assignees = ok(
        await gw.gql(
          'query($t: ID!, $a: ID!) { applicationAssignees(tenantId: $t, applicationId: $a) { users groups totalUsers totalGroups } }',
          { t: w.t1a, a: w.apps.global },
          su,
        ),
      );
      expect(assignees.applicationAssignees).toEqual({ users: [user], groups: [], totalUsers: 1, totalGroups: 0 });
    });

    it('only applications available to the tenant can be assigned', async () => {
      for (const app of [w.apps.p2, w.apps.t1b, w.apps.t2]) {
        const res = await gw.gql(
          'mutation($t: ID!, $u: ID!, $a: ID!) { assignApplicationToUser(tenantId: $t, userId: $u, applicationId: $a) { id } }',
          { t: w.t1a, u: user, a: app },
          su,
        );
        expect(codeOf(res)).toBe('NOT_FOUND');
      }
    });

    it('bulk assign is all or nothing', async () => {
      const bulk = 'mutation($t: ID!, $u: ID!, $a: [ID!]!) { assignApplicationsToUser(tenantId: $t, userId: $u, applicationIds: $a) { applicationId } }';
      const fresh = await createUser(gw, su, w.t1a, 'bulk@t1a.test');
      expect(codeOf(await gw.gql(bulk, { t: w.t1a, u: fresh, a: [w.apps.p1, w.apps.t2] }, su))).toBe('NOT_FOUND');
      const none = ok(await gw.gql(USER_APPS, { t: w.t1a, u: fresh, g: true }, su)).userApplications;
      expect(none.totalCount).toBe(0);
      const done = ok(await gw.gql(bulk, { t: w.t1a, u: fresh, a: [w.apps.p1, w.apps.t1a, w.apps.p1] }, su)).assignApplicationsToUser;
      expect(done.map((a: { applicationId: string }) => a.applicationId).sort()).toEqual([w.apps.p1, w.apps.t1a].sort());
    });

    it('user applications: one entry per application, direct wins over group, assignedVia names the group', async () => {
      await assignGroup(gw, su, w.t1a, group, w.apps.global);
      await assignGroup(gw, su, w.t1a, group, w.apps.t1a);
      const all = ok(await gw.gql(USER_APPS, { t: w.t1a, u: user, g: true }, su)).userApplications;
      expect(all.userId).toBe(user);
      expect(all.totalCount).toBe(2);
      const byName = Object.fromEntries(all.applications.map((a: any) => [a.applicationName, a]));
      expect(byName['Global App']).toMatchObject({ assignmentType: 'direct', assignedVia: null, applicationId: w.apps.global });
      expect(byName['T1A App']).toMatchObject({ assignmentType: 'group', assignedVia: group });
      expect(byName['T1A App'].applicationClientId).toMatch(/^idg_/);
      const directOnly = ok(await gw.gql(USER_APPS, { t: w.t1a, u: user, g: false }, su)).userApplications;
      expect(directOnly.applications.map((a: any) => a.applicationName)).toEqual(['Global App']);
      const groupApps = ok(
        await gw.gql('query($t: ID!, $g: ID!) { groupApplications(tenantId: $t, groupId: $g) { applicationName assignmentType assignedVia } }', { t: w.t1a, g: group }, su),
      );
      expect(groupApps.groupApplications.map((a: any) => a.applicationName)).toEqual(['Global App', 'T1A App']);
    });

    it('unassigning something not assigned is NOT_FOUND', async () => {
      const unassign = 'mutation($t: ID!, $u: ID!, $a: ID!) { unassignApplicationFromUser(tenantId: $t, userId: $u, applicationId: $a) }';
      await assignUser(gw, su, w.t1a, user, w.apps.p1);
      expect(ok(await gw.gql(unassign, { t: w.t1a, u: user, a: w.apps.p1 }, su)).unassignApplicationFromUser).toBe(true);
      expect(codeOf(await gw.gql(unassign, { t: w.t1a, u: user, a: w.apps.p1 }, su))).toBe('NOT_FOUND');
      const unassignGroup = 'mutation($t: ID!, $g: ID!, $a: ID!) { unassignApplicationFromGroup(tenantId: $t, groupId: $g, applicationId: $a) }';
      expect(codeOf(await gw.gql(unassignGroup, { t: w.t1a, g: group, a: w.apps.p1 }, su))).toBe('NOT_FOUND');
    });

    it('a soft-deleted application keeps its assignment rows', async () => {
      const app = ok(await gw.gql(CREATE_APP, { i: { name: 'Kept Rows', applicationType: 'web', scope: 'GLOBAL' } }, su)).createApplication.application.id;
      await assignUser(gw, su, w.t1a, user, app);
      await gqlAs(gw, su, 'mutation($a: ID!) { deleteApplication(id: $a) }', { a: app });
      const [row] = await gw.db.orm.em.fork().execute('select count(*) as total from app_assignment where application_id = ?', [app]);
      expect(Number(row.total)).toBe(1);
    });
  });
});
