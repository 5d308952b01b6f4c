import { codeOf, ok, startTestGateway, type TestGateway } from './support/harness.js';
import { addMember, createGroup, createTenant, createUser, gqlAs } from './support/world.js';

/** SPEC §1: users (email unique per tenant, case-insensitive), groups (name unique per tenant), membership. */
describe('users and groups', () => {
  let gw: TestGateway;
  let su: string;
  let t1: string;
  let t2: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    t1 = await createTenant(gw, su, 'People One');
    t2 = await createTenant(gw, su, 'People Two');
  });
  afterAll(() => gw.close());

  const createUserResult = (tenantId: string, email: string) =>
    gw.gql('mutation($t: ID!, $e: String!) { createUser(tenantId: $t, input: { email: $e }) { id email status } }', { t: tenantId, e: email }, su);

  it('email is unique per tenant, case-insensitively; the same email may live in another tenant', async () => {
    expect(ok(await createUserResult(t1, 'Ann@Example.com')).createUser).toMatchObject({ email: 'Ann@Example.com', status: 'active' });
    const dup = await createUserResult(t1, 'ann@example.COM');
    expect(codeOf(dup)).toBe('CONFLICT');
    expect(dup.errors![0].message).toMatch(/email/i);
    expect(ok(await createUserResult(t2, 'ann@example.com')).createUser.email).toBe('ann@example.com');
  });

  it('a deleted user frees its email', async () => {
    const id = ok(await createUserResult(t1, 'gone@example.com')).createUser.id;
    await gqlAs(gw, su, 'mutation($t: ID!, $u: ID!) { deleteUser(tenantId: $t, id: $u) }', { t: t1, u: id });
    expect(codeOf(await gw.gql('query($t: ID!, $u: ID!) { user(tenantId: $t, id: $u) { id } }', { t: t1, u: id }, su))).toBe('NOT_FOUND');
    expect(ok(await createUserResult(t1, 'gone@example.com')).createUser.id).not.toBe(id);
  });

  it('rejects invalid emails and unknown statuses', async () => {
    expect(codeOf(await createUserResult(t1, 'not-an-email'))).toBe('BAD_USER_INPUT');
    const badStatus = await gw.gql('mutation($t: ID!) { createUser(tenantId: $t, input: { email: "s@x.io", status: asleep }) { id } }', { t: t1 }, su);
    expect(codeOf(badStatus)).toBe('BAD_USER_INPUT');
  });

  it('a user is found only under its own tenant', async () => {
    const id = await createUser(gw, su, t1, 'mine@example.com');
    expect(codeOf(await gw.gql('query($t: ID!, $u: ID!) { user(tenantId: $t, id: $u) { id } }', { t: t2, u: id }, su))).toBe('NOT_FOUND');
  });

  it('group names are unique per tenant', async () => {
    await createGroup(gw, su, t1, 'Admins');
    const dup = await gw.gql('mutation($t: ID!) { createGroup(tenantId: $t, input: { name: "Admins" }) { id } }', { t: t1 }, su);
    expect(codeOf(dup)).toBe('CONFLICT');
    expect(await createGroup(gw, su, t2, 'Admins')).toBeTruthy();
  });

  it("membership: idempotent add, members list, remove, and NOT_FOUND for a non-member or another tenant's user", async () => {
    const group = await createGroup(gw, su, t1, 'Crew');
    const zed = await createUser(gw, su, t1, 'zed@example.com');
    const amy = await createUser(gw, su, t1, 'amy@example.com');
    const other = await createUser(gw, su, t2, 'other@example.com');
    await addMember(gw, su, t1, group, zed);
    await addMember(gw, su, t1, group, zed);
    await addMember(gw, su, t1, group, amy);
    const members = ok(
      await gw.gql('query($t: ID!, $g: ID!) { groupMembers(tenantId: $t, groupId: $g) { items { email } pagination { totalItems } } }', { t: t1, g: group }, su),
    ).groupMembers;
    expect(members).toEqual({ items: [{ email: 'amy@example.com' }, { email: 'zed@example.com' }], pagination: { totalItems: 2 } });
    expect(codeOf(await gw.gql('mutation($t: ID!, $g: ID!, $u: ID!) { addGroupMember(tenantId: $t, groupId: $g, userId: $u) { id } }', { t: t1, g: group, u: other }, su))).toBe(
      'NOT_FOUND',
    );
    const remove = 'mutation($t: ID!, $g: ID!, $u: ID!) { removeGroupMember(tenantId: $t, groupId: $g, userId: $u) }';
    expect(ok(await gw.gql(remove, { t: t1, g: group, u: zed }, su)).removeGroupMember).toBe(true);
    expect(codeOf(await gw.gql(remove, { t: t1, g: group, u: zed }, su))).toBe('NOT_FOUND');
    const groups = ok(await gw.gql('query($t: ID!, $u: ID!) { user(tenantId: $t, id: $u) { groups { name } } }', { t: t1, u: amy }, su)).user.groups;
    expect(groups).toEqual([{ name: 'Crew' }]);
  });
});
