import { codeOf, ok, startTestGateway, type GraphQLResult, type TestGateway } from './support/harness.js';
import { createApplication, createGroup, createPartner, createTenant, createUser } from './support/world.js';

/**
 * Rules where one row guards another (SPEC §1), raced: a write that checks the guarding row and a
 * write that changes it run in parallel, many rounds. Services take row locks in one order
 * (src/db/locks.ts), so either the check sees the change or the change waits for the check's
 * transaction. PostgreSQL only: there the requests truly overlap (PGlite runs one transaction at a
 * time, and these races never showed on it).
 */
const DELETE_PARTNER = 'mutation($id: ID!) { deletePartner(id: $id) }';
const CREATE_TENANT = 'mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }';
const DELETE_TENANT = 'mutation($id: ID!) { deleteTenant(id: $id) }';
const CREATE_USER = 'mutation($t: ID!, $e: String!) { createUser(tenantId: $t, input: { email: $e }) { id } }';
const DELETE_USER = 'mutation($t: ID!, $id: ID!) { deleteUser(tenantId: $t, id: $id) }';
const DELETE_GROUP = 'mutation($t: ID!, $id: ID!) { deleteGroup(tenantId: $t, id: $id) }';
const ADD_MEMBER = 'mutation($t: ID!, $g: ID!, $u: ID!) { addGroupMember(tenantId: $t, groupId: $g, userId: $u) { id } }';
const DELETE_MANAGEMENT_APP = 'mutation($t: ID!, $id: ID!) { deleteManagementApplication(tenantId: $t, id: $id) }';
const ASSIGN_USER = 'mutation($t: ID!, $u: ID!, $a: ID!) { assignApplicationToUser(tenantId: $t, userId: $u, applicationId: $a) { id } }';

/** Succeeded, or failed with the code a lost race may give; anything else fails the test. */
function outcome(result: GraphQLResult, allowed: string): boolean {
  if (!result.errors?.length) return true;
  expect(codeOf(result)).toBe(allowed);
  return false;
}

describe('cross-row rules under concurrency', () => {
  let gw: TestGateway;
  let su: string;
  const sql = async <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => gw.db.orm.em.fork().getConnection().execute<T[]>(text, params);
  /** created_at of the one audit event of `action` on `targetId`. */
  const auditAt = async (action: string, targetId: string): Promise<number> => {
    const [event] = await sql<{ created_at: Date }>('select created_at from audit_event where action = ? and target_id = ?', [action, targetId]);
    return new Date(event.created_at).getTime();
  };

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
  });
  afterAll(() => gw.close());

  it('partner delete vs tenant create, 50 rounds: never a live tenant under a deleted partner', async () => {
    let bothSucceeded = 0;
    for (let round = 0; round < 50; round += 1) {
      const partner = await createPartner(gw, su, `Race partner ${round}`);
      const [created, deleted] = await Promise.all([
        gw.gql(CREATE_TENANT, { i: { name: `Race tenant ${round}`, partnerId: partner } }, su),
        gw.gql(DELETE_PARTNER, { id: partner }, su),
      ]);
      // Tenant first → the delete is 409; delete first → the partner is gone (404).
      if (outcome(created, 'NOT_FOUND') && outcome(deleted, 'CONFLICT')) bothSucceeded += 1;
    }
    const orphans = await sql('select t.id from tenant t join partner p on p.id = t.partner_id where t.deleted_at is null and p.deleted_at is not null');
    expect({ bothSucceeded, orphans: orphans.length }).toEqual({ bothSucceeded: 0, orphans: 0 });
  });

  it('tenant delete vs user create, 20 rounds: a user is never created after its tenant was deleted', async () => {
    const late: number[] = [];
    for (let round = 0; round < 20; round += 1) {
      const tenant = await createTenant(gw, su, `Doomed ${round}`);
      const [created, deleted] = await Promise.all([gw.gql(CREATE_USER, { t: tenant, e: `late${round}@doomed.test` }, su), gw.gql(DELETE_TENANT, { id: tenant }, su)]);
      expect(outcome(deleted, 'NOT_FOUND')).toBe(true);
      if (outcome(created, 'NOT_FOUND') && (await auditAt('user.create', created.data.createUser.id)) > (await auditAt('tenant.delete', tenant))) late.push(round);
    }
    expect(late).toEqual([]);
  });

  it('group delete vs membership add, 20 rounds: no member is added after the group was deleted', async () => {
    const tenant = await createTenant(gw, su, 'Groups race');
    const user = await createUser(gw, su, tenant, 'member@groups.test');
    const late: number[] = [];
    for (let round = 0; round < 20; round += 1) {
      const group = await createGroup(gw, su, tenant, `Doomed ${round}`);
      const [added, deleted] = await Promise.all([gw.gql(ADD_MEMBER, { t: tenant, g: group, u: user }, su), gw.gql(DELETE_GROUP, { t: tenant, id: group }, su)]);
      expect(outcome(deleted, 'NOT_FOUND')).toBe(true);
      if (outcome(added, 'NOT_FOUND') && (await auditAt('group.add_member', group)) > (await auditAt('group.delete', group))) late.push(round);
    }
    expect(late).toEqual([]);
  });

  it('user delete vs membership add and assignment, 20 rounds: neither lands after the user was deleted', async () => {
    const tenant = await createTenant(gw, su, 'Users race');
    const group = await createGroup(gw, su, tenant, 'Everyone');
    const app = (await createApplication(gw, su, { name: 'Users race app', scope: 'TENANT', tenantId: tenant })).id;
    const late: string[] = [];
    for (let round = 0; round < 20; round += 1) {
      const user = await createUser(gw, su, tenant, `doomed${round}@users.test`);
      const [added, assigned, deleted] = await Promise.all([
        gw.gql(ADD_MEMBER, { t: tenant, g: group, u: user }, su),
        gw.gql(ASSIGN_USER, { t: tenant, u: user, a: app }, su),
        gw.gql(DELETE_USER, { t: tenant, id: user }, su),
      ]);
      expect(outcome(deleted, 'NOT_FOUND')).toBe(true);
      const deletedAt = await auditAt('user.delete', user);
      if (outcome(added, 'NOT_FOUND')) {
        const [event] = await sql<{ created_at: Date }>("select created_at from audit_event where action = 'group.add_member' and diff->>'userId' = ?", [user]);
        if (new Date(event.created_at).getTime() > deletedAt) late.push(`member ${round}`);
      }
      if (outcome(assigned, 'NOT_FOUND')) {
        const [event] = await sql<{ created_at: Date }>("select created_at from audit_event where action = 'application.assign_user' and diff->>'userId' = ?", [user]);
        if (new Date(event.created_at).getTime() > deletedAt) late.push(`assignment ${round}`);
      }
    }
    expect(late).toEqual([]);
  });

  it('management application delete vs assignment, 20 rounds: the delete leaves no assignment behind', async () => {
    const tenant = await createTenant(gw, su, 'Apps race');
    const user = await createUser(gw, su, tenant, 'holder@apps.test');
    const leftovers: number[] = [];
    for (let round = 0; round < 20; round += 1) {
      const app = (await createApplication(gw, su, { name: `Doomed ${round}`, scope: 'TENANT', tenantId: tenant, applicationType: 'management' })).id;
      const [assigned, deleted] = await Promise.all([gw.gql(ASSIGN_USER, { t: tenant, u: user, a: app }, su), gw.gql(DELETE_MANAGEMENT_APP, { t: tenant, id: app }, su)]);
      outcome(assigned, 'NOT_FOUND');
      ok(deleted);
      const [left] = await sql<{ n: string }>('select count(*) as n from app_assignment where application_id = ?', [app]);
      if (Number(left.n) > 0) leftovers.push(round);
    }
    expect(leftovers).toEqual([]);
  });
});
