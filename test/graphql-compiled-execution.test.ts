import { startTestGateway, type TestGateway } from './support/harness.js';
import { addMember, assignGroup, assignUser, buildWorld, createGroup, createUser, type World } from './support/world.js';

/**
 * An operation runs through graphql-js on its first use and compiled (graphql-jit) from its second
 * (src/graphql/compiled-execution.ts, GRAPHQL_COMPILE_AFTER=1): every answer, data and errors alike,
 * must be the same whichever executor gave it. Each operation below is sent three times.
 */
const SOME_ID = '00000000-0000-4000-8000-000000000000';

describe('compiled GraphQL execution answers as graphql-js does', () => {
  let gw: TestGateway;
  let su: string;
  let world: World;
  let user: string;
  let group: string;

  beforeAll(async () => {
    gw = await startTestGateway({ GRAPHQL_COMPILE_AFTER: '1' });
    su = await gw.superToken();
    world = await buildWorld(gw);
    user = await createUser(gw, su, world.t1a, 'compiled@example.com');
    group = await createGroup(gw, su, world.t1a, 'Compiled');
    await addMember(gw, su, world.t1a, group, user);
    await assignGroup(gw, su, world.t1a, group, world.apps.t1a);
    await assignUser(gw, su, world.t1a, user, world.apps.global);
  });
  afterAll(() => gw.close());

  /** Status and body of one POST /graphql, without `extensions.sqlStatements` (the first run may differ in caches). */
  async function answer(body: Record<string, unknown>, token: string | undefined = su) {
    const request = gw.http.post('/graphql').set('content-type', 'application/json');
    if (token) request.set('authorization', `Bearer ${token}`);
    const res = await request.send(body);
    const { extensions: _extensions, ...rest } = res.body as Record<string, unknown>;
    return { status: res.status, body: rest };
  }

  async function sameThreeTimes(body: Record<string, unknown>, token?: string) {
    const first = await answer(body, token);
    expect(await answer(body, token)).toEqual(first);
    expect(await answer(body, token)).toEqual(first);
    return first;
  }

  it('nested data: pages, dates, enums, lists, aliases, fragments, __typename', async () => {
    const query = `query($tenant: ID!, $app: ID!) {
      tenant(id: $tenant) { __typename id name status createdAt
        users { items { ...UserFields groups { id name } applications { applicationId assignmentType assignedAt application { id name } } } pagination { totalItems } } settings { mfaRequired mfaMethods } }
      app: application(id: $app) { id scope effectiveUserCount
        effectiveUsers(perPage: 5) { items { id email direct groups { id name } tenant { id name } } pagination { totalItems page } hasNextPage endCursor } }
    }
    fragment UserFields on User { id email status createdAt }`;
    const first = await sameThreeTimes({ query, variables: { tenant: world.t1a, app: world.apps.t1a } });
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    const data = first.body.data as any;
    expect(data.tenant.users.items.map((u: any) => u.email)).toContain('compiled@example.com');
    expect(data.app.effectiveUsers.items).toEqual([expect.objectContaining({ id: user, direct: false, groups: [{ id: group, name: 'Compiled' }] })]);
  });

  it('@include and @skip by variable', async () => {
    const query = 'query($with: Boolean!) { tenant(id: "' + world.t1a + '") { id name @include(if: $with) status @skip(if: $with) } }';
    const withName = await sameThreeTimes({ query, variables: { with: true } });
    const without = await sameThreeTimes({ query, variables: { with: false } });
    expect(Object.keys((withName.body.data as any).tenant)).toEqual(['id', 'name']);
    expect(Object.keys((without.body.data as any).tenant)).toEqual(['id', 'status']);
  });

  it('a non-null variable with a default, left out', async () => {
    const query = 'query($perPage: Int! = 2, $status: TenantStatus = active) { tenants(perPage: $perPage, status: $status) { items { id } pagination { perPage } } }';
    const first = await sameThreeTimes({ query });
    expect((first.body.data as any).tenants.pagination.perPage).toBe(2);
  });

  it('typed errors of resolvers keep their codes and paths', async () => {
    const notFound = await sameThreeTimes({ query: `{ tenant(id: "${SOME_ID}") { id } }` });
    expect((notFound.body.errors as any[])[0]).toMatchObject({ path: ['tenant'], extensions: { code: 'NOT_FOUND' } });
    const readOnly = await gw.token({ sub: 'ro', role: 'super_admin', scope: 'admin:read' });
    const forbidden = await sameThreeTimes({ query: 'mutation { createPartner(input: { name: "x" }) { id } }' }, readOnly);
    expect((forbidden.body.errors as any[])[0]).toMatchObject({ path: ['createPartner'], extensions: { code: 'FORBIDDEN' } });
    const anonymous = await sameThreeTimes({ query: '{ tenants { items { id } } }' }, '');
    expect(anonymous.status).toBe(401);
  });

  it('bad variables: 400 BAD_USER_INPUT', async () => {
    const bad = await sameThreeTimes({ query: 'query($id: ID!) { tenant(id: $id) { id } }', variables: { id: 'x' } });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as any[])[0].extensions.code).toBe('BAD_USER_INPUT');
    const missing = await sameThreeTimes({ query: 'query($id: ID!) { tenant(id: $id) { id } }' });
    expect(missing.status).toBe(400);
  });

  it('an unknown operationName: 400', async () => {
    const unknown = await sameThreeTimes({ query: 'query A { me { kind } } query B { me { kind } }', operationName: 'C' });
    expect(unknown.status).toBe(400);
    const named = await sameThreeTimes({ query: 'query A { me { kind } } query B { me { __typename } }', operationName: 'B' });
    expect(named.body.data).toEqual({ me: { __typename: 'Me' } });
  });

  it('mutations run in order, each compiled run writing once', async () => {
    const query = `mutation($t: ID!, $g: ID!, $u: ID!) {
      first: removeGroupMember(tenantId: $t, groupId: $g, userId: $u)
      second: addGroupMember(tenantId: $t, groupId: $g, userId: $u) { id }
    }`;
    const first = await sameThreeTimes({ query, variables: { t: world.t1a, g: group, u: user } });
    expect(first.body.errors).toBeUndefined();
    const members = await answer({ query: `{ groupMembers(tenantId: "${world.t1a}", groupId: "${group}") { items { id } } }` });
    expect((members.body.data as any).groupMembers.items).toEqual([{ id: user }]);
  });
});
