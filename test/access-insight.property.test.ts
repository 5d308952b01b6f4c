import fc from 'fast-check';
import { startTestGateway, type TestGateway } from './support/harness.js';
import { addMember, assignGroup, assignUser, createApplication, createGroup, createPartner, createTenant, createUser, gqlAs } from './support/world.js';

/**
 * Issue 11, property-based over small random worlds (bounded; fast-check prints the seed and the
 * sequence of a failure, FC_SEED replays it):
 * - feed completeness: after random writes, replaying each application's feed from empty gives its
 *   effective users exactly, for a super admin and for a tenant admin (who sees only its tenant);
 * - preview vs reality: a random previewable change, then the change itself: the users who lost each
 *   application are exactly the previewed ones, and the counts agree.
 */
let gw: TestGateway;
let su: string;
let partner: string;
beforeAll(async () => {
  gw = await startTestGateway();
  su = await gw.superToken();
  partner = await createPartner(gw, su, 'P');
});
afterAll(() => gw?.close());

const USERS = 4;
const GROUPS = 2;
type Op =
  | { kind: 'assignUser' | 'unassignUser'; t: number; user: number; app: number }
  | { kind: 'assignGroup' | 'unassignGroup'; t: number; group: number; app: number }
  | { kind: 'addMember' | 'removeMember'; t: number; group: number; user: number }
  | { kind: 'deleteGroup'; t: number; group: number }
  | { kind: 'deleteUser' | 'disableUser' | 'enableUser'; t: number; user: number };
const t = fc.integer({ min: 0, max: 1 });
const user = fc.integer({ min: 0, max: USERS - 1 });
const group = fc.integer({ min: 0, max: GROUPS - 1 });
const app = fc.integer({ min: 0, max: 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('assignUser' as const, 'unassignUser' as const), t, user, app }),
  fc.record({ kind: fc.constantFrom('assignGroup' as const, 'unassignGroup' as const), t, group, app }),
  fc.record({ kind: fc.constantFrom('addMember' as const, 'removeMember' as const), t, group, user }),
  fc.record({ kind: fc.constant('deleteGroup' as const), t, group }),
  fc.record({ kind: fc.constantFrom('deleteUser' as const, 'disableUser' as const, 'enableUser' as const), t, user }),
);

interface Run {
  tenants: string[];
  users: string[][];
  groups: string[][];
  apps: string[];
}

async function buildRun(n: number): Promise<Run> {
  const tenants = [await createTenant(gw, su, `R${n}a`, partner), await createTenant(gw, su, `R${n}b`, partner)];
  const users = await Promise.all(
    tenants.map(async (tenant, i) => {
      const ids: string[] = [];
      for (let u = 0; u < USERS; u++) ids.push(await createUser(gw, su, tenant, `u${u}.${i}.${n}@x.test`));
      return ids;
    }),
  );
  const groups = await Promise.all(tenants.map(async (tenant) => [await createGroup(gw, su, tenant, 'g0'), await createGroup(gw, su, tenant, 'g1')]));
  const apps = [
    (await createApplication(gw, su, { name: `G${n}`, scope: 'GLOBAL' })).id,
    (await createApplication(gw, su, { name: `P${n}`, scope: 'PARTNER', partnerId: partner })).id,
  ];
  // A starting point with several paths per user.
  for (let i = 0; i < 2; i++) {
    for (let u = 0; u < USERS; u++) await addMember(gw, su, tenants[i], groups[i][u % GROUPS], users[i][u]);
    await addMember(gw, su, tenants[i], groups[i][1], users[i][0]);
    await addMember(gw, su, tenants[i], groups[i][0], users[i][1]); // two groups, no direct assignment
    await assignGroup(gw, su, tenants[i], groups[i][0], apps[0]);
    await assignGroup(gw, su, tenants[i], groups[i][1], apps[0]);
    await assignUser(gw, su, tenants[i], users[i][0], apps[0]);
    await assignGroup(gw, su, tenants[i], groups[i][1], apps[1]);
  }
  return { tenants, users, groups, apps };
}

/** Runs one write; writes the API refuses (404 on a missing assignment, a deleted row) change nothing. */
async function apply(run: Run, op: Op): Promise<void> {
  const v: Record<string, unknown> = { t: run.tenants[op.t] };
  if ('user' in op) v.u = run.users[op.t][op.user];
  if ('group' in op) v.g = run.groups[op.t][op.group];
  if ('app' in op) v.a = run.apps[op.app];
  const documents: Record<Op['kind'], string> = {
    assignUser: 'mutation($t: ID!, $u: ID!, $a: ID!) { assignApplicationToUser(tenantId: $t, userId: $u, applicationId: $a) { id } }',
    unassignUser: 'mutation($t: ID!, $u: ID!, $a: ID!) { unassignApplicationFromUser(tenantId: $t, userId: $u, applicationId: $a) }',
    assignGroup: 'mutation($t: ID!, $g: ID!, $a: ID!) { assignApplicationToGroup(tenantId: $t, groupId: $g, applicationId: $a) { id } }',
    unassignGroup: 'mutation($t: ID!, $g: ID!, $a: ID!) { unassignApplicationFromGroup(tenantId: $t, groupId: $g, applicationId: $a) }',
    addMember: 'mutation($t: ID!, $g: ID!, $u: ID!) { addGroupMember(tenantId: $t, groupId: $g, userId: $u) { id } }',
    removeMember: 'mutation($t: ID!, $g: ID!, $u: ID!) { removeGroupMember(tenantId: $t, groupId: $g, userId: $u) }',
    deleteGroup: 'mutation($t: ID!, $g: ID!) { deleteGroup(tenantId: $t, id: $g) }',
    deleteUser: 'mutation($t: ID!, $u: ID!) { deleteUser(tenantId: $t, id: $u) }',
    disableUser: 'mutation($t: ID!, $u: ID!) { updateUser(tenantId: $t, id: $u, input: { status: disabled }) { id } }',
    enableUser: 'mutation($t: ID!, $u: ID!) { updateUser(tenantId: $t, id: $u, input: { status: active }) { id } }',
  };
  const result = await gw.gql(documents[op.kind], v, su);
  for (const error of result.errors ?? []) if (error.extensions?.code !== 'NOT_FOUND') throw new Error(JSON.stringify(error));
}

async function effectiveIds(token: string, applicationId: string): Promise<string[]> {
  const data = await gqlAs(gw, token, 'query($a: ID!) { effectiveUsers(applicationId: $a, perPage: 100) { items { id } } }', { a: applicationId });
  return data.effectiveUsers.items.map((i: { id: string }) => i.id).sort();
}

async function replay(token: string, applicationId: string): Promise<string[]> {
  const set = new Set<string>();
  for (let after: string | null = null; ;) {
    const data: any = await gqlAs(
      gw,
      token,
      'query($a: ID!, $after: String) { accessChanges(applicationId: $a, after: $after, first: 50) { items { userId change } endCursor hasNextPage } }',
      { a: applicationId, after },
    );
    for (const item of data.accessChanges.items) item.change === 'granted' ? set.add(item.userId) : set.delete(item.userId);
    after = data.accessChanges.endCursor;
    if (!data.accessChanges.hasNextPage) return [...set].sort();
  }
}

/** Previewable changes, each with the write that makes it. */
type Change = {
  kind: 'UNASSIGN_FROM_USER' | 'UNASSIGN_FROM_GROUP' | 'REMOVE_GROUP_MEMBER' | 'DELETE_GROUP' | 'DELETE_USER' | 'DISABLE_USER';
  t: number;
  user: number;
  group: number;
  app: number;
};
const changeArb: fc.Arbitrary<Change> = fc.record({
  kind: fc.constantFrom(
    'UNASSIGN_FROM_USER' as const,
    'UNASSIGN_FROM_GROUP' as const,
    'REMOVE_GROUP_MEMBER' as const,
    'DELETE_GROUP' as const,
    'DELETE_USER' as const,
    'DISABLE_USER' as const,
  ),
  t,
  user,
  group,
  app,
});
const WRITE_OF: Record<Change['kind'], Op['kind']> = {
  UNASSIGN_FROM_USER: 'unassignUser',
  UNASSIGN_FROM_GROUP: 'unassignGroup',
  REMOVE_GROUP_MEMBER: 'removeMember',
  DELETE_GROUP: 'deleteGroup',
  DELETE_USER: 'deleteUser',
  DISABLE_USER: 'disableUser',
};
const PREVIEW = 'query($c: AccessChangeInput!) { previewAccessChange(change: $c) { losingCount applications { applicationId losingCount keepingCount losing { id } } } }';

let runs = 0;
const settings = { numRuns: Number(process.env.AI_RUNS ?? 6), endOnFailure: true, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined };

it('replaying the feed from empty reproduces the effective users, after random writes (super admin and tenant admin)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), async (ops) => {
      const run = await buildRun(runs++);
      for (const op of ops) await apply(run, op);
      const ta = await gw.token({ sub: 'ta', role: 'tenant_admin', tenant_id: run.tenants[0], scope: 'admin:read' });
      for (const applicationId of run.apps) {
        expect(await replay(su, applicationId)).toEqual(await effectiveIds(su, applicationId));
        const seen = await replay(ta, applicationId);
        expect(seen).toEqual(await effectiveIds(ta, applicationId));
        expect(seen.every((id) => run.users[0].includes(id))).toBe(true);
      }
    }),
    settings,
  );
}, 600_000);

it('a preview names exactly the users the change then removes', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { maxLength: 6 }), changeArb, async (ops, change) => {
      const run = await buildRun(runs++);
      for (const op of ops) await apply(run, op);
      const input = {
        kind: change.kind,
        tenantId: run.tenants[change.t],
        ...(['UNASSIGN_FROM_USER', 'REMOVE_GROUP_MEMBER', 'DELETE_USER', 'DISABLE_USER'].includes(change.kind) ? { userId: run.users[change.t][change.user] } : {}),
        ...(['UNASSIGN_FROM_GROUP', 'REMOVE_GROUP_MEMBER', 'DELETE_GROUP'].includes(change.kind) ? { groupId: run.groups[change.t][change.group] } : {}),
        ...(['UNASSIGN_FROM_USER', 'UNASSIGN_FROM_GROUP'].includes(change.kind) ? { applicationId: run.apps[change.app] } : {}),
      };
      const before = await Promise.all(run.apps.map((a) => effectiveIds(su, a)));
      const preview = await gw.gql(PREVIEW, { c: input }, su);
      await apply(run, { kind: WRITE_OF[change.kind], t: change.t, user: change.user, group: change.group, app: change.app } as Op);
      const after = await Promise.all(run.apps.map((a) => effectiveIds(su, a)));
      if (preview.errors?.length) {
        // A preview refused as NOT_FOUND is a write that changes nothing.
        expect(preview.errors[0].extensions?.code).toBe('NOT_FOUND');
        expect(after).toEqual(before);
        return;
      }
      run.apps.forEach((applicationId, i) => {
        const lost = before[i].filter((id) => !after[i].includes(id)).sort();
        const impact = preview.data.previewAccessChange.applications.find((a: any) => a.applicationId === applicationId);
        expect({ applicationId, losing: (impact?.losing ?? []).map((u: any) => u.id).sort(), count: impact?.losingCount ?? 0 }).toEqual({
          applicationId,
          losing: lost,
          count: lost.length,
        });
      });
    }),
    settings,
  );
}, 600_000);
