/**
 * The permission matrix of SPEC §3 (issue 3): every viewer kind × every GraphQL operation (each query,
 * each mutation, each nested field that reaches data) → the expected outcome. One row per operation,
 * one column per viewer kind; each cell is one test, through GraphQL over HTTP on a real database.
 *
 * Columns (viewer kinds):
 *   super  super_admin, admin:read admin:write
 *   pa1    partner_admin of P1 (tenants T1a, T1b)         pa2   partner_admin of P2 (tenant T2)
 *   ta1a   tenant_admin of T1a (partner P1)               ta2   tenant_admin of T2 (partner P2)
 *   ro     super_admin with admin:read only (read-only scope trying writes)
 *   app    an ordinary application's token (T1A App, TENANT of T1a), from POST /oauth/token
 *   mgmt   a management application's token (TENANT of T1a): acts as tenant_admin of T1a, read + write
 *   anon   no token
 * Cells: D = data without error; NF / FB / UA / CONFLICT = that extensions.code; a value (V(...) or a
 * string/number) = the data, for lists the exact visible set; `—` (null) = no cell, see below.
 *
 * Where SPEC §3 is unclear, the choice made here (a platform admin's expectation):
 *  1. Partners visible to a tenant admin: its own tenant's partner (read-only; `partner(P1)` → data,
 *     Partner.tenants → only its own tenant). A tenant of no partner sees no partner.
 *  2. Partner writes: super admins only; a partner admin updating/deleting its own partner → FORBIDDEN,
 *     a tenant admin touching its tenant's partner → FORBIDDEN (visible, not writable), other partners → NOT_FOUND.
 *  3. createTenant by a tenant admin (or management token) → FORBIDDEN whatever the partnerId named:
 *     the level may never create tenants, so the level check comes before the reference check.
 *  4. Moving a tenant to another partner (updateTenant partnerId) is a super admin's decision: a partner
 *     admin moving its own tenant → FORBIDDEN.
 *  5. A tenant admin deleting its own tenant → FORBIDDEN (SPEC: "tenants create / delete: no"); the super
 *     and pa1 cells of that row are left out (—): they would delete the fixture; the "fresh tenant" row covers them.
 *  6. A read-only token's writes → FORBIDDEN even where the target is invisible (the scope is checked
 *     before the data is looked at), and its reads are those of its role.
 *  7. An ordinary application token: every admin operation → FORBIDDEN (it is authenticated, but not an
 *     admin); `application(id)` / `effectiveUsers` of another application → NOT_FOUND (SPEC: reads only its
 *     own); on its own application the nested admin fields (tenant, partner, assignees, EffectiveUser.tenant)
 *     → FORBIDDEN; it sees its own effective users in every tenant of its scope.
 *  8. auditEvents: super all; partner admin the events of its partner and of its tenants; tenant admin its
 *     tenant's events; events with no tenant and no partner (e.g. GLOBAL application created) → super only.
 *  9. Assigning an application that is not available to the tenant → NOT_FOUND, for super admins too.
 * 10. A management token may not create/update/delete PARTNER or GLOBAL applications (it is a tenant admin)
 *     and may manage the management applications of its own tenant (including creating more).
 * Choices outside this table (tested in the files next to this one):
 * 11. GraphQL without a token: a data field → UNAUTHENTICATED with HTTP 401 (SPEC "missing → 401");
 *     a query of no data field (`{ __typename }`, introspection) still answers 200.   (tokens.test.ts)
 * 12. With JWT_JWKS_URL set, admins come from the key set: HS256 tokens signed with JWT_SECRET are
 *     accepted only as the application tokens this gateway issues (no `role`).         (tokens.test.ts)
 * 13. A mutation that changes nothing (same values, assigning or adding a member twice) writes no
 *     audit event.                                                                      (audit.test.ts)
 * 14. An application token's effectiveUsers(tenantId: X) filters silently (empty for a tenant outside its
 *     scope, existing or not): no NOT_FOUND that would reveal whether a tenant exists.  (oauth.test.ts)
 */
import { codeOf, startTestGateway, type GraphQLResult, type TestGateway } from '../support/harness.js';
import { addMember, assignUser, createApplication, createGroup, createPartner, createTenant, createUser, gqlAs } from '../support/world.js';
import { buildSchema } from '../../src/graphql/schema.js';
import { buildAuthWorld, VIEWERS, type AuthWorld, type ViewerKey } from './fixtures.js';

type Code = 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'CONFLICT';
type Expect = 'D' | Code | { is: unknown } | null;

const D = 'D' as const;
const NF = 'NOT_FOUND' as const;
const FB = 'FORBIDDEN' as const;
const UA = 'UNAUTHENTICATED' as const;
const CONFLICT = 'CONFLICT' as const;
const _ = null;
/** An exact value (arrays compared as sets). */
const V = (...values: unknown[]): { is: unknown } => ({ is: values.length === 1 && !Array.isArray(values[0]) ? values[0] : [...values].sort() });
const SET = (...values: string[]): { is: unknown } => ({ is: [...values].sort() });

// Visible sets, by name.
const APPS_ALL = SET('Global App', 'P1 App', 'P2 App', 'T1A App', 'T1B App', 'T2 App', 'T1A Mgmt');
const APPS_P1 = SET('Global App', 'P1 App', 'T1A App', 'T1B App', 'T1A Mgmt');
const APPS_P2 = SET('Global App', 'P2 App', 'T2 App');
const APPS_T1A = SET('Global App', 'P1 App', 'T1A App', 'T1A Mgmt');
const APPS_T2 = SET('Global App', 'P2 App', 'T2 App');
const TENANTS_ALL = SET('Tenant 1A', 'Tenant 1B', 'Tenant 2', 'Tenant Zero');

interface Op {
  /** GraphQL document; its variables come from `vars`. */
  doc: string;
  /** Variables for the cell; may prepare fresh data (as super admin) for destructive operations. */
  vars?: (f: AuthWorld, viewer: ViewerKey) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** What a data cell compares against `{ is }`. */
  pick?: (data: any, f: AuthWorld) => unknown;
}

const names = (items: { name: string }[]) => items.map((i) => i.name).sort();
const emails = (items: { email: string }[]) => items.map((i) => i.email.split('@')[0]).sort();

let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}`;
let gw: TestGateway;
const fresh = {
  partner: (f: AuthWorld) => createPartner(gw, f.su, unique('Fresh Partner')),
  tenant: (f: AuthWorld, partnerId: string) => createTenant(gw, f.su, unique('Fresh Tenant'), partnerId),
  application: async (f: AuthWorld, input: { scope: string; partnerId?: string; tenantId?: string }) =>
    (await createApplication(gw, f.su, { name: unique('Fresh App'), ...input })).id,
  management: async (f: AuthWorld) =>
    (
      await gqlAs(gw, f.su, 'mutation($t: ID!, $n: String!) { createManagementApplication(tenantId: $t, input: { name: $n }) { application { id } } }', {
        t: f.t1a,
        n: unique('Fresh Mgmt'),
      })
    ).createManagementApplication.application.id,
  user: (f: AuthWorld) => createUser(gw, f.su, f.t1a, `${unique('fresh')}@t1a.test`),
  group: (f: AuthWorld) => createGroup(gw, f.su, f.t1a, unique('Fresh Group')),
  /** Soft-deletes a fresh row as the super admin (restore targets). */
  deleted: async (kind: 'Tenant' | 'Application' | 'User' | 'Group', id: string, tenantId?: string) => {
    const su = await gw.superToken();
    if (tenantId) await gqlAs(gw, su, `mutation($t: ID!, $id: ID!) { delete${kind}(tenantId: $t, id: $id) }`, { t: tenantId, id });
    else await gqlAs(gw, su, `mutation($id: ID!) { delete${kind}(id: $id) }`, { id });
    return id;
  },
  /** The previous secret, in its grace period, of a fresh application rotated with one (revoke targets). */
  previousSecret: async (f: AuthWorld, input: { scope: string; partnerId?: string; tenantId?: string }) => {
    const id = await fresh.application(f, input);
    await gqlAs(gw, f.su, 'mutation($id: ID!) { rotateApplicationSecret(id: $id, gracePeriodSeconds: 3600) { id } }', { id });
    const data = await gqlAs(gw, f.su, 'query($id: ID!) { application(id: $id) { secrets { id expiresAt } } }', { id });
    return data.application.secrets.find((secret: { expiresAt: string | null }) => secret.expiresAt !== null).id as string;
  },
};

/**
 * The matrix. Columns: super, pa1, pa2, ta1a, ta2, ro, app, mgmt, anon.
 * Queries and nested fields come first (they see the world as built); mutations last.
 */
const MATRIX: [string, Op, Expect[]][] = [
  // ---------------------------------------------------------------- root queries
  //                                                                  super  pa1   pa2   ta1a  ta2   ro    app   mgmt  anon
  [
    'me',
    { doc: '{ me { kind } }', pick: (d) => d.me.kind },
    [V('super_admin'), V('partner_admin'), V('partner_admin'), V('tenant_admin'), V('tenant_admin'), V('super_admin'), V('application'), V('tenant_admin'), UA],
  ],
  [
    'partners',
    { doc: '{ partners(perPage: 100) { items { name } } }', pick: (d) => names(d.partners.items) },
    [
      SET('Partner One', 'Partner Two'),
      SET('Partner One'),
      SET('Partner Two'),
      SET('Partner One'),
      SET('Partner Two'),
      SET('Partner One', 'Partner Two'),
      FB,
      SET('Partner One'),
      UA,
    ],
  ],
  ['partner(P1)', { doc: 'query($id: ID!) { partner(id: $id) { id } }', vars: (f) => ({ id: f.p1 }) }, [D, D, NF, D, NF, D, FB, D, UA]],
  [
    'tenants',
    { doc: '{ tenants(perPage: 100) { items { name } } }', pick: (d) => names(d.tenants.items) },
    [TENANTS_ALL, SET('Tenant 1A', 'Tenant 1B'), SET('Tenant 2'), SET('Tenant 1A'), SET('Tenant 2'), TENANTS_ALL, FB, SET('Tenant 1A'), UA],
  ],
  ['tenant(T1a)', { doc: 'query($id: ID!) { tenant(id: $id) { id } }', vars: (f) => ({ id: f.t1a }) }, [D, D, NF, D, NF, D, FB, D, UA]],
  ['tenant(T1b)', { doc: 'query($id: ID!) { tenant(id: $id) { id } }', vars: (f) => ({ id: f.t1b }) }, [D, D, NF, NF, NF, D, FB, NF, UA]],
  ['tenant(T0) (no partner)', { doc: 'query($id: ID!) { tenant(id: $id) { id } }', vars: (f) => ({ id: f.t0 }) }, [D, NF, NF, NF, NF, D, FB, NF, UA]],
  [
    'applications',
    { doc: '{ applications(perPage: 100) { items { name } pagination { totalItems } } }', pick: (d) => names(d.applications.items) },
    [APPS_ALL, APPS_P1, APPS_P2, APPS_T1A, APPS_T2, APPS_ALL, FB, APPS_T1A, UA],
  ],
  [
    'applications totalItems',
    { doc: '{ applications(perPage: 1) { pagination { totalItems } } }', pick: (d) => d.applications.pagination.totalItems },
    [V(7), V(5), V(3), V(4), V(3), V(7), FB, V(4), UA],
  ],
  ['application(GLOBAL)', { doc: 'query($id: ID!) { application(id: $id) { id } }', vars: (f) => ({ id: f.apps.global }) }, [D, D, D, D, D, D, NF, D, UA]],
  ['application(P2 App)', { doc: 'query($id: ID!) { application(id: $id) { id } }', vars: (f) => ({ id: f.apps.p2 }) }, [D, NF, D, NF, D, D, NF, NF, UA]],
  ['application(T1B App)', { doc: 'query($id: ID!) { application(id: $id) { id } }', vars: (f) => ({ id: f.apps.t1b }) }, [D, D, NF, NF, NF, D, NF, NF, UA]],
  ["application(T1A App) (the app token's own)", { doc: 'query($id: ID!) { application(id: $id) { id } }', vars: (f) => ({ id: f.apps.t1a }) }, [D, D, NF, D, NF, D, D, D, UA]],
  [
    'effectiveUsers(GLOBAL)',
    {
      doc: 'query($a: ID!) { effectiveUsers(applicationId: $a, perPage: 100) { items { email } } }',
      vars: (f) => ({ a: f.apps.global }),
      pick: (d) => emails(d.effectiveUsers.items),
    },
    [SET('u0', 'u1a', 'u1b', 'u2'), SET('u1a', 'u1b'), SET('u2'), SET('u1a'), SET('u2'), SET('u0', 'u1a', 'u1b', 'u2'), NF, SET('u1a'), UA],
  ],
  [
    'effectiveUsers(T1A App)',
    {
      doc: 'query($a: ID!) { effectiveUsers(applicationId: $a, perPage: 100) { items { email } } }',
      vars: (f) => ({ a: f.apps.t1a }),
      pick: (d) => emails(d.effectiveUsers.items),
    },
    [SET('u1a'), SET('u1a'), NF, SET('u1a'), NF, SET('u1a'), SET('u1a'), SET('u1a'), UA],
  ],
  // Issue 11: access insight.
  [
    'accessExplanation(GLOBAL, u1a)',
    {
      doc: 'query($a: ID!, $u: ID!) { accessExplanation(applicationId: $a, userId: $u) { hasAccess } }',
      vars: (f) => ({ a: f.apps.global, u: f.u1a }),
      pick: (d) => d.accessExplanation.hasAccess,
    },
    [V(true), V(true), NF, V(true), NF, V(true), FB, V(true), UA],
  ],
  [
    'accessChanges(GLOBAL) (users seen in the feed)',
    {
      doc: 'query($a: ID!) { accessChanges(applicationId: $a, first: 100) { items { userId } } }',
      vars: (f) => ({ a: f.apps.global }),
      pick: (d, f) => [...new Set(d.accessChanges.items.map((i: { userId: string }) => f.sym(i.userId)))].sort(),
    },
    [SET('u0', 'u1a', 'u1b', 'u2'), SET('u1a', 'u1b'), SET('u2'), SET('u1a'), SET('u2'), SET('u0', 'u1a', 'u1b', 'u2'), NF, SET('u1a'), UA],
  ],
  [
    'accessChanges(T1A App)',
    {
      doc: 'query($a: ID!) { accessChanges(applicationId: $a, first: 100) { items { userId } } }',
      vars: (f) => ({ a: f.apps.t1a }),
      pick: (d, f) => [...new Set(d.accessChanges.items.map((i: { userId: string }) => f.sym(i.userId)))].sort(),
    },
    [SET('u1a'), SET('u1a'), NF, SET('u1a'), NF, SET('u1a'), SET('u1a'), SET('u1a'), UA],
  ],
  [
    'previewAccessChange(DISABLE_USER u1a)',
    {
      doc: 'query($t: ID!, $u: ID!) { previewAccessChange(change: { kind: DISABLE_USER, tenantId: $t, userId: $u }) { losingCount } }',
      vars: (f) => ({ t: f.t1a, u: f.u1a }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'applicationAssignees(T1a, GLOBAL)',
    {
      doc: 'query($t: ID!, $a: ID!) { applicationAssignees(tenantId: $t, applicationId: $a) { users } }',
      vars: (f) => ({ t: f.t1a, a: f.apps.global }),
      pick: (d, f) => d.applicationAssignees.users.map(f.sym).sort(),
    },
    [SET('u1a'), SET('u1a'), NF, SET('u1a'), NF, SET('u1a'), FB, SET('u1a'), UA],
  ],
  [
    'managementApplications(T1a)',
    {
      doc: 'query($t: ID!) { managementApplications(tenantId: $t) { name } }',
      vars: (f) => ({ t: f.t1a }),
      pick: (d) => names(d.managementApplications),
    },
    [SET('T1A Mgmt'), SET('T1A Mgmt'), NF, SET('T1A Mgmt'), NF, SET('T1A Mgmt'), FB, SET('T1A Mgmt'), UA],
  ],
  [
    'users(T1a)',
    { doc: 'query($t: ID!) { users(tenantId: $t) { items { email } } }', vars: (f) => ({ t: f.t1a }), pick: (d) => emails(d.users.items) },
    [SET('u1a'), SET('u1a'), NF, SET('u1a'), NF, SET('u1a'), FB, SET('u1a'), UA],
  ],
  [
    'users(T2)',
    { doc: 'query($t: ID!) { users(tenantId: $t) { items { email } } }', vars: (f) => ({ t: f.t2 }), pick: (d) => emails(d.users.items) },
    [SET('u2'), NF, SET('u2'), NF, SET('u2'), SET('u2'), FB, NF, UA],
  ],
  ['user(T1a, u1a)', { doc: 'query($t: ID!, $id: ID!) { user(tenantId: $t, id: $id) { id } }', vars: (f) => ({ t: f.t1a, id: f.u1a }) }, [D, D, NF, D, NF, D, FB, D, UA]],
  [
    'user(T1a, u2) (user of another tenant)',
    { doc: 'query($t: ID!, $id: ID!) { user(tenantId: $t, id: $id) { id } }', vars: (f) => ({ t: f.t1a, id: f.u2 }) },
    [NF, NF, NF, NF, NF, NF, FB, NF, UA],
  ],
  [
    'groups(T1a)',
    { doc: 'query($t: ID!) { groups(tenantId: $t) { items { name } } }', vars: (f) => ({ t: f.t1a }), pick: (d) => names(d.groups.items) },
    [SET('G1A'), SET('G1A'), NF, SET('G1A'), NF, SET('G1A'), FB, SET('G1A'), UA],
  ],
  ['group(T1a, g1a)', { doc: 'query($t: ID!, $id: ID!) { group(tenantId: $t, id: $id) { id } }', vars: (f) => ({ t: f.t1a, id: f.g1a }) }, [D, D, NF, D, NF, D, FB, D, UA]],
  ['group(T2, g2)', { doc: 'query($t: ID!, $id: ID!) { group(tenantId: $t, id: $id) { id } }', vars: (f) => ({ t: f.t2, id: f.g2 }) }, [D, NF, D, NF, D, D, FB, NF, UA]],
  [
    'groupMembers(T1a, g1a)',
    {
      doc: 'query($t: ID!, $g: ID!) { groupMembers(tenantId: $t, groupId: $g) { items { email } } }',
      vars: (f) => ({ t: f.t1a, g: f.g1a }),
      pick: (d) => emails(d.groupMembers.items),
    },
    [SET('u1a'), SET('u1a'), NF, SET('u1a'), NF, SET('u1a'), FB, SET('u1a'), UA],
  ],
  [
    'userApplications(T1a, u1a)',
    {
      doc: 'query($t: ID!, $u: ID!) { userApplications(tenantId: $t, userId: $u) { applications { applicationName } } }',
      vars: (f) => ({ t: f.t1a, u: f.u1a }),
      pick: (d) => d.userApplications.applications.map((a: { applicationName: string }) => a.applicationName).sort(),
    },
    [SET('Global App', 'T1A App'), SET('Global App', 'T1A App'), NF, SET('Global App', 'T1A App'), NF, SET('Global App', 'T1A App'), FB, SET('Global App', 'T1A App'), UA],
  ],
  [
    'groupApplications(T1a, g1a)',
    {
      doc: 'query($t: ID!, $g: ID!) { groupApplications(tenantId: $t, groupId: $g) { applicationName } }',
      vars: (f) => ({ t: f.t1a, g: f.g1a }),
      pick: (d) => d.groupApplications.map((a: { applicationName: string }) => a.applicationName).sort(),
    },
    [SET('T1A App'), SET('T1A App'), NF, SET('T1A App'), NF, SET('T1A App'), FB, SET('T1A App'), UA],
  ],
  [
    'auditEvents (owners of the visible events)',
    {
      doc: '{ auditEvents(perPage: 100) { items { tenantId partnerId } } }',
      pick: (d, f) => [...new Set(d.auditEvents.items.map((e: { tenantId: string | null; partnerId: string | null }) => f.sym(e.tenantId ?? e.partnerId) ?? 'none'))].sort(),
    },
    [
      SET('none', 'p1', 'p2', 't0', 't1a', 't1b', 't2'),
      SET('p1', 't1a', 't1b'),
      SET('p2', 't2'),
      SET('t1a'),
      SET('t2'),
      SET('none', 'p1', 'p2', 't0', 't1a', 't1b', 't2'),
      FB,
      SET('t1a'),
      UA,
    ],
  ],

  // ---------------------------------------------------------------- nested fields that reach data
  //                                                                  super  pa1   pa2   ta1a  ta2   ro    app   mgmt  anon
  [
    'Application.effectiveUsers (GLOBAL)',
    {
      doc: 'query($id: ID!) { application(id: $id) { effectiveUsers(perPage: 100) { items { email } } } }',
      vars: (f) => ({ id: f.apps.global }),
      pick: (d) => emails(d.application.effectiveUsers.items),
    },
    [SET('u0', 'u1a', 'u1b', 'u2'), SET('u1a', 'u1b'), SET('u2'), SET('u1a'), SET('u2'), SET('u0', 'u1a', 'u1b', 'u2'), NF, SET('u1a'), UA],
  ],
  [
    'Application.effectiveUsers (T1A App)',
    {
      doc: 'query($id: ID!) { application(id: $id) { effectiveUsers { items { email } } } }',
      vars: (f) => ({ id: f.apps.t1a }),
      pick: (d) => emails(d.application.effectiveUsers.items),
    },
    [SET('u1a'), SET('u1a'), NF, SET('u1a'), NF, SET('u1a'), SET('u1a'), SET('u1a'), UA],
  ],
  [
    'Application.effectiveUserCount (GLOBAL)',
    {
      doc: 'query($id: ID!) { application(id: $id) { effectiveUserCount } }',
      vars: (f) => ({ id: f.apps.global }),
      pick: (d) => d.application.effectiveUserCount,
    },
    [V(4), V(2), V(1), V(1), V(1), V(4), NF, V(1), UA],
  ],
  [
    'Application.effectiveUserCount (T1A App)',
    {
      doc: 'query($id: ID!) { application(id: $id) { effectiveUserCount } }',
      vars: (f) => ({ id: f.apps.t1a }),
      pick: (d) => d.application.effectiveUserCount,
    },
    [V(1), V(1), NF, V(1), NF, V(1), V(1), V(1), UA],
  ],
  [
    'Application.assignees (GLOBAL)',
    {
      doc: 'query($id: ID!) { application(id: $id) { assignees { users } } }',
      vars: (f) => ({ id: f.apps.global }),
      pick: (d, f) => d.application.assignees.users.map(f.sym).sort(),
    },
    [SET('u0', 'u1a', 'u1b', 'u2'), SET('u1a', 'u1b'), SET('u2'), SET('u1a'), SET('u2'), SET('u0', 'u1a', 'u1b', 'u2'), NF, SET('u1a'), UA],
  ],
  [
    'Application.assignees (T1A App)',
    {
      doc: 'query($id: ID!) { application(id: $id) { assignees { groups } } }',
      vars: (f) => ({ id: f.apps.t1a }),
      pick: (d, f) => d.application.assignees.groups.map(f.sym).sort(),
    },
    [SET('g1a'), SET('g1a'), NF, SET('g1a'), NF, SET('g1a'), FB, SET('g1a'), UA],
  ],
  [
    'Application.tenant (T1A App)',
    {
      doc: 'query($id: ID!) { application(id: $id) { tenant { name } } }',
      vars: (f) => ({ id: f.apps.t1a }),
      pick: (d) => d.application.tenant.name,
    },
    [V('Tenant 1A'), V('Tenant 1A'), NF, V('Tenant 1A'), NF, V('Tenant 1A'), FB, V('Tenant 1A'), UA],
  ],
  [
    'Application.partner (P1 App)',
    {
      doc: 'query($id: ID!) { application(id: $id) { partner { name } } }',
      vars: (f) => ({ id: f.apps.p1 }),
      pick: (d) => d.application.partner.name,
    },
    [V('Partner One'), V('Partner One'), NF, V('Partner One'), NF, V('Partner One'), NF, V('Partner One'), UA],
  ],
  [
    'EffectiveUser.tenant (T1A App)',
    {
      doc: 'query($id: ID!) { application(id: $id) { effectiveUsers { items { tenant { name } } } } }',
      vars: (f) => ({ id: f.apps.t1a }),
      pick: (d) => d.application.effectiveUsers.items.map((i: { tenant: { name: string } }) => i.tenant.name),
    },
    [SET('Tenant 1A'), SET('Tenant 1A'), NF, SET('Tenant 1A'), NF, SET('Tenant 1A'), FB, SET('Tenant 1A'), UA],
  ],
  [
    'Tenant.users (T1a)',
    {
      doc: 'query($id: ID!) { tenant(id: $id) { users { items { email } pagination { totalItems } } } }',
      vars: (f) => ({ id: f.t1a }),
      pick: (d) => emails(d.tenant.users.items),
    },
    [SET('u1a'), SET('u1a'), NF, SET('u1a'), NF, SET('u1a'), FB, SET('u1a'), UA],
  ],
  [
    'Tenant.groups (T1a)',
    {
      doc: 'query($id: ID!) { tenant(id: $id) { groups { items { name } } } }',
      vars: (f) => ({ id: f.t1a }),
      pick: (d) => names(d.tenant.groups.items),
    },
    [SET('G1A'), SET('G1A'), NF, SET('G1A'), NF, SET('G1A'), FB, SET('G1A'), UA],
  ],
  [
    'Tenant.availableApplications (T1a)',
    {
      doc: 'query($id: ID!) { tenant(id: $id) { availableApplications(perPage: 100) { items { name } } } }',
      vars: (f) => ({ id: f.t1a }),
      pick: (d) => names(d.tenant.availableApplications.items),
    },
    [APPS_T1A, APPS_T1A, NF, APPS_T1A, NF, APPS_T1A, FB, APPS_T1A, UA],
  ],
  [
    'Tenant.availableApplications (T2)',
    {
      doc: 'query($id: ID!) { tenant(id: $id) { availableApplications(perPage: 100) { items { name } } } }',
      vars: (f) => ({ id: f.t2 }),
      pick: (d) => names(d.tenant.availableApplications.items),
    },
    [APPS_T2, NF, APPS_T2, NF, APPS_T2, APPS_T2, FB, NF, UA],
  ],
  [
    'Tenant.partner (T1a)',
    {
      doc: 'query($id: ID!) { tenant(id: $id) { partner { name } } }',
      vars: (f) => ({ id: f.t1a }),
      pick: (d) => d.tenant.partner.name,
    },
    [V('Partner One'), V('Partner One'), NF, V('Partner One'), NF, V('Partner One'), FB, V('Partner One'), UA],
  ],
  [
    'Partner.tenants (P1)',
    {
      doc: 'query($id: ID!) { partner(id: $id) { tenants { items { name } pagination { totalItems } } } }',
      vars: (f) => ({ id: f.p1 }),
      pick: (d) => [...names(d.partner.tenants.items), `total=${d.partner.tenants.pagination.totalItems}`],
    },
    [
      V('Tenant 1A', 'Tenant 1B', 'total=2'),
      V('Tenant 1A', 'Tenant 1B', 'total=2'),
      NF,
      V('Tenant 1A', 'total=1'),
      NF,
      V('Tenant 1A', 'Tenant 1B', 'total=2'),
      FB,
      V('Tenant 1A', 'total=1'),
      UA,
    ],
  ],
  [
    'User.groups (u1a)',
    {
      doc: 'query($t: ID!, $id: ID!) { user(tenantId: $t, id: $id) { groups { name } } }',
      vars: (f) => ({ t: f.t1a, id: f.u1a }),
      pick: (d) => names(d.user.groups),
    },
    [SET('G1A'), SET('G1A'), NF, SET('G1A'), NF, SET('G1A'), FB, SET('G1A'), UA],
  ],
  [
    'User.applications (u1a)',
    {
      doc: 'query($t: ID!, $id: ID!) { user(tenantId: $t, id: $id) { applications { applicationName } } }',
      vars: (f) => ({ t: f.t1a, id: f.u1a }),
      pick: (d) => d.user.applications.map((a: { applicationName: string }) => a.applicationName).sort(),
    },
    [SET('Global App', 'T1A App'), SET('Global App', 'T1A App'), NF, SET('Global App', 'T1A App'), NF, SET('Global App', 'T1A App'), FB, SET('Global App', 'T1A App'), UA],
  ],
  [
    'AppAssignment.application (u1a)',
    {
      doc: 'query($t: ID!, $id: ID!) { user(tenantId: $t, id: $id) { applications { application { name } } } }',
      vars: (f) => ({ t: f.t1a, id: f.u1a }),
      pick: (d) => d.user.applications.map((a: { application: { name: string } }) => a.application.name).sort(),
    },
    [SET('Global App', 'T1A App'), SET('Global App', 'T1A App'), NF, SET('Global App', 'T1A App'), NF, SET('Global App', 'T1A App'), FB, SET('Global App', 'T1A App'), UA],
  ],
  [
    'User.tenant (u2)',
    {
      doc: 'query($t: ID!, $id: ID!) { user(tenantId: $t, id: $id) { tenant { name } } }',
      vars: (f) => ({ t: f.t2, id: f.u2 }),
      pick: (d) => d.user.tenant.name,
    },
    [V('Tenant 2'), NF, V('Tenant 2'), NF, V('Tenant 2'), V('Tenant 2'), FB, NF, UA],
  ],
  [
    'Group.members (g1a)',
    {
      doc: 'query($t: ID!, $id: ID!) { group(tenantId: $t, id: $id) { members { items { email } } } }',
      vars: (f) => ({ t: f.t1a, id: f.g1a }),
      pick: (d) => emails(d.group.members.items),
    },
    [SET('u1a'), SET('u1a'), NF, SET('u1a'), NF, SET('u1a'), FB, SET('u1a'), UA],
  ],
  [
    'Group.applications (g1a)',
    {
      doc: 'query($t: ID!, $id: ID!) { group(tenantId: $t, id: $id) { applications { applicationName } } }',
      vars: (f) => ({ t: f.t1a, id: f.g1a }),
      pick: (d) => d.group.applications.map((a: { applicationName: string }) => a.applicationName).sort(),
    },
    [SET('T1A App'), SET('T1A App'), NF, SET('T1A App'), NF, SET('T1A App'), FB, SET('T1A App'), UA],
  ],
  [
    'Group.tenant (g2)',
    {
      doc: 'query($t: ID!, $id: ID!) { group(tenantId: $t, id: $id) { tenant { name } } }',
      vars: (f) => ({ t: f.t2, id: f.g2 }),
      pick: (d) => d.group.tenant.name,
    },
    [V('Tenant 2'), NF, V('Tenant 2'), NF, V('Tenant 2'), V('Tenant 2'), FB, NF, UA],
  ],

  // ---------------------------------------------------------------- mutations: partners
  //                                                                  super  pa1   pa2   ta1a  ta2   ro    app   mgmt  anon
  [
    'createPartner',
    { doc: 'mutation($n: String!) { createPartner(input: { name: $n }) { id } }', vars: () => ({ n: unique('New Partner') }) },
    [D, FB, FB, FB, FB, FB, FB, FB, UA],
  ],
  [
    'updatePartner(P1)',
    { doc: 'mutation($id: ID!) { updatePartner(id: $id, input: { name: "Partner One" }) { id } }', vars: (f) => ({ id: f.p1 }) },
    [D, FB, NF, FB, NF, FB, FB, FB, UA],
  ],
  ['deletePartner(P1) (has live tenants)', { doc: 'mutation($id: ID!) { deletePartner(id: $id) }', vars: (f) => ({ id: f.p1 }) }, [CONFLICT, FB, NF, FB, NF, FB, FB, FB, UA]],
  [
    'deletePartner(fresh partner, no tenants)',
    { doc: 'mutation($id: ID!) { deletePartner(id: $id) }', vars: async (f) => ({ id: await fresh.partner(f) }) },
    [D, NF, NF, NF, NF, FB, FB, NF, UA],
  ],

  // ---------------------------------------------------------------- mutations: tenants
  [
    'createTenant(partnerId P1)',
    {
      doc: 'mutation($i: CreateTenantInput!) { createTenant(input: $i) { partnerId } }',
      vars: (f) => ({ i: { name: unique('New Tenant'), partnerId: f.p1 } }),
      pick: (d, f) => f.sym(d.createTenant.partnerId),
    },
    [V('p1'), V('p1'), NF, FB, FB, FB, FB, FB, UA],
  ],
  [
    'createTenant(partnerId P2)',
    {
      doc: 'mutation($i: CreateTenantInput!) { createTenant(input: $i) { partnerId } }',
      vars: (f) => ({ i: { name: unique('New Tenant'), partnerId: f.p2 } }),
      pick: (d, f) => f.sym(d.createTenant.partnerId),
    },
    [V('p2'), NF, V('p2'), FB, FB, FB, FB, FB, UA],
  ],
  [
    'createTenant(no partnerId) → own partner',
    {
      doc: 'mutation($i: CreateTenantInput!) { createTenant(input: $i) { partnerId } }',
      vars: () => ({ i: { name: unique('New Tenant') } }),
      pick: (d, f) => f.sym(d.createTenant.partnerId),
    },
    [V(null), V('p1'), V('p2'), FB, FB, FB, FB, FB, UA],
  ],
  [
    'updateTenant(T1a) settings',
    {
      doc: 'mutation($id: ID!) { updateTenant(id: $id, input: { settings: { sessionTimeout: 60 } }) { settings { sessionTimeout } } }',
      vars: (f) => ({ id: f.t1a }),
      pick: (d) => d.updateTenant.settings.sessionTimeout,
    },
    [V(60), V(60), NF, V(60), NF, FB, FB, V(60), UA],
  ],
  [
    'updateTenant(T1b)',
    { doc: 'mutation($id: ID!) { updateTenant(id: $id, input: { status: active }) { id } }', vars: (f) => ({ id: f.t1b }) },
    [D, D, NF, NF, NF, FB, FB, NF, UA],
  ],
  [
    'updateTenant(fresh tenant of P1) move to P2',
    {
      doc: 'mutation($id: ID!, $p: ID!) { updateTenant(id: $id, input: { partnerId: $p }) { partnerId } }',
      vars: async (f) => ({ id: await fresh.tenant(f, f.p1), p: f.p2 }),
      pick: (d, f) => f.sym(d.updateTenant.partnerId),
    },
    [V('p2'), FB, NF, NF, NF, FB, FB, NF, UA],
  ],
  [
    'deleteTenant(fresh tenant of P1)',
    { doc: 'mutation($id: ID!) { deleteTenant(id: $id) }', vars: async (f) => ({ id: await fresh.tenant(f, f.p1) }) },
    [D, D, NF, NF, NF, FB, FB, NF, UA],
  ],
  [
    'restoreTenant(fresh deleted tenant of P1)',
    { doc: 'mutation($id: ID!) { restoreTenant(id: $id) { id } }', vars: async (f) => ({ id: await fresh.deleted('Tenant', await fresh.tenant(f, f.p1)) }) },
    [D, D, NF, NF, NF, FB, FB, NF, UA],
  ],
  ["deleteTenant(T1a) (a tenant admin's own tenant)", { doc: 'mutation($id: ID!) { deleteTenant(id: $id) }', vars: (f) => ({ id: f.t1a }) }, [_, _, NF, FB, NF, FB, FB, FB, UA]],

  // ---------------------------------------------------------------- mutations: applications
  [
    'createApplication(GLOBAL)',
    {
      doc: 'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { scope } } }',
      vars: () => ({ i: { name: unique('New App'), applicationType: 'web', scope: 'GLOBAL' } }),
    },
    [D, FB, FB, FB, FB, FB, FB, FB, UA],
  ],
  [
    'createApplication(PARTNER P1)',
    {
      doc: 'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { scope } } }',
      vars: (f) => ({ i: { name: unique('New App'), applicationType: 'web', scope: 'PARTNER', partnerId: f.p1 } }),
    },
    [D, D, NF, FB, NF, FB, FB, FB, UA],
  ],
  [
    'createApplication(TENANT T1a)',
    {
      doc: 'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { scope } } }',
      vars: (f) => ({ i: { name: unique('New App'), applicationType: 'web', scope: 'TENANT', tenantId: f.t1a } }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'createApplication(TENANT T2)',
    {
      doc: 'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { scope } } }',
      vars: (f) => ({ i: { name: unique('New App'), applicationType: 'web', scope: 'TENANT', tenantId: f.t2 } }),
    },
    [D, NF, D, NF, D, FB, FB, NF, UA],
  ],
  [
    'updateApplication(GLOBAL)',
    {
      doc: 'mutation($id: ID!) { updateApplication(id: $id, input: { description: "changed" }) { id } }',
      vars: (f) => ({ id: f.apps.global }),
    },
    [D, FB, FB, FB, FB, FB, FB, FB, UA],
  ],
  [
    'updateApplication(P1 App)',
    {
      doc: 'mutation($id: ID!) { updateApplication(id: $id, input: { description: "changed" }) { id } }',
      vars: (f) => ({ id: f.apps.p1 }),
    },
    [D, D, NF, FB, NF, FB, FB, FB, UA],
  ],
  [
    'updateApplication(T1A App)',
    {
      doc: 'mutation($id: ID!) { updateApplication(id: $id, input: { description: "changed" }) { id } }',
      vars: (f) => ({ id: f.apps.t1a }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'updateApplication(T2 App)',
    {
      doc: 'mutation($id: ID!) { updateApplication(id: $id, input: { description: "changed" }) { id } }',
      vars: (f) => ({ id: f.apps.t2 }),
    },
    [D, NF, D, NF, D, FB, FB, NF, UA],
  ],
  [
    'deleteApplication(fresh GLOBAL)',
    {
      doc: 'mutation($id: ID!) { deleteApplication(id: $id) }',
      vars: async (f) => ({ id: await fresh.application(f, { scope: 'GLOBAL' }) }),
    },
    [D, FB, FB, FB, FB, FB, FB, FB, UA],
  ],
  [
    'deleteApplication(fresh PARTNER P1)',
    {
      doc: 'mutation($id: ID!) { deleteApplication(id: $id) }',
      vars: async (f) => ({ id: await fresh.application(f, { scope: 'PARTNER', partnerId: f.p1 }) }),
    },
    [D, D, NF, FB, NF, FB, FB, FB, UA],
  ],
  [
    'deleteApplication(fresh TENANT T1a)',
    {
      doc: 'mutation($id: ID!) { deleteApplication(id: $id) }',
      vars: async (f) => ({ id: await fresh.application(f, { scope: 'TENANT', tenantId: f.t1a }) }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'rotateApplicationSecret(GLOBAL)',
    {
      doc: 'mutation($id: ID!) { rotateApplicationSecret(id: $id) { id } }',
      vars: (f) => ({ id: f.apps.global }),
    },
    [D, FB, FB, FB, FB, FB, FB, FB, UA],
  ],
  [
    'rotateApplicationSecret(P1 App)',
    {
      doc: 'mutation($id: ID!) { rotateApplicationSecret(id: $id) { id } }',
      vars: (f) => ({ id: f.apps.p1 }),
    },
    [D, D, NF, FB, NF, FB, FB, FB, UA],
  ],
  [
    'rotateApplicationSecret(T1B App)',
    {
      doc: 'mutation($id: ID!) { rotateApplicationSecret(id: $id) { id } }',
      vars: (f) => ({ id: f.apps.t1b }),
    },
    [D, D, NF, NF, NF, FB, FB, NF, UA],
  ],
  [
    'restoreApplication(fresh deleted GLOBAL)',
    {
      doc: 'mutation($id: ID!) { restoreApplication(id: $id) { id } }',
      vars: async (f) => ({ id: await fresh.deleted('Application', await fresh.application(f, { scope: 'GLOBAL' })) }),
    },
    [D, FB, FB, FB, FB, FB, FB, FB, UA],
  ],
  [
    'restoreApplication(fresh deleted TENANT T1a)',
    {
      doc: 'mutation($id: ID!) { restoreApplication(id: $id) { id } }',
      vars: async (f) => ({ id: await fresh.deleted('Application', await fresh.application(f, { scope: 'TENANT', tenantId: f.t1a })) }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'revokeSecret(previous secret of a fresh GLOBAL app)',
    {
      doc: 'mutation($id: ID!) { revokeSecret(id: $id) { id } }',
      vars: async (f) => ({ id: await fresh.previousSecret(f, { scope: 'GLOBAL' }) }),
    },
    [D, FB, FB, FB, FB, FB, FB, FB, UA],
  ],
  [
    'revokeSecret(previous secret of a fresh TENANT T1a app)',
    {
      doc: 'mutation($id: ID!) { revokeSecret(id: $id) { id } }',
      vars: async (f) => ({ id: await fresh.previousSecret(f, { scope: 'TENANT', tenantId: f.t1a }) }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'createManagementApplication(T1a)',
    {
      doc: 'mutation($t: ID!, $n: String!) { createManagementApplication(tenantId: $t, input: { name: $n }) { application { applicationType } } }',
      vars: (f) => ({ t: f.t1a, n: unique('New Mgmt') }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'updateManagementApplication(T1a, T1A Mgmt)',
    {
      doc: 'mutation($t: ID!, $id: ID!) { updateManagementApplication(tenantId: $t, id: $id, input: { description: "changed" }) { id } }',
      vars: (f) => ({ t: f.t1a, id: f.mgmtApp }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'deleteManagementApplication(T1a, fresh)',
    {
      doc: 'mutation($t: ID!, $id: ID!) { deleteManagementApplication(tenantId: $t, id: $id) }',
      vars: async (f) => ({ t: f.t1a, id: await fresh.management(f) }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],

  // ---------------------------------------------------------------- mutations: users, groups, memberships
  [
    'createUser(T1a)',
    {
      doc: 'mutation($t: ID!, $e: String!) { createUser(tenantId: $t, input: { email: $e }) { id } }',
      vars: (f, v) => ({ t: f.t1a, e: `${unique(v)}@t1a.test` }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'createUser(T2)',
    {
      doc: 'mutation($t: ID!, $e: String!) { createUser(tenantId: $t, input: { email: $e }) { id } }',
      vars: (f, v) => ({ t: f.t2, e: `${unique(v)}@t2.test` }),
    },
    [D, NF, D, NF, D, FB, FB, NF, UA],
  ],
  [
    'updateUser(T1a, u1a)',
    {
      doc: 'mutation($t: ID!, $id: ID!) { updateUser(tenantId: $t, id: $id, input: { name: "u1a" }) { id } }',
      vars: (f) => ({ t: f.t1a, id: f.u1a }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'deleteUser(T1a, fresh user)',
    {
      doc: 'mutation($t: ID!, $id: ID!) { deleteUser(tenantId: $t, id: $id) }',
      vars: async (f) => ({ t: f.t1a, id: await fresh.user(f) }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'restoreUser(T1a, fresh deleted user)',
    {
      doc: 'mutation($t: ID!, $id: ID!) { restoreUser(tenantId: $t, id: $id) { id } }',
      vars: async (f) => ({ t: f.t1a, id: await fresh.deleted('User', await fresh.user(f), f.t1a) }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'createGroup(T1a)',
    {
      doc: 'mutation($t: ID!, $n: String!) { createGroup(tenantId: $t, input: { name: $n }) { id } }',
      vars: (f, v) => ({ t: f.t1a, n: unique(`Group ${v}`) }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'createGroup(T2)',
    {
      doc: 'mutation($t: ID!, $n: String!) { createGroup(tenantId: $t, input: { name: $n }) { id } }',
      vars: (f, v) => ({ t: f.t2, n: unique(`Group ${v}`) }),
    },
    [D, NF, D, NF, D, FB, FB, NF, UA],
  ],
  [
    'updateGroup(T1a, g1a)',
    {
      doc: 'mutation($t: ID!, $id: ID!) { updateGroup(tenantId: $t, id: $id, input: { description: "changed" }) { id } }',
      vars: (f) => ({ t: f.t1a, id: f.g1a }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'deleteGroup(T1a, fresh group)',
    {
      doc: 'mutation($t: ID!, $id: ID!) { deleteGroup(tenantId: $t, id: $id) }',
      vars: async (f) => ({ t: f.t1a, id: await fresh.group(f) }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'restoreGroup(T1a, fresh deleted group)',
    {
      doc: 'mutation($t: ID!, $id: ID!) { restoreGroup(tenantId: $t, id: $id) { id } }',
      vars: async (f) => ({ t: f.t1a, id: await fresh.deleted('Group', await fresh.group(f), f.t1a) }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'addGroupMember(T1a, g1a, u1a)',
    {
      doc: 'mutation($t: ID!, $g: ID!, $u: ID!) { addGroupMember(tenantId: $t, groupId: $g, userId: $u) { id } }',
      vars: (f) => ({ t: f.t1a, g: f.g1a, u: f.u1a }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'addGroupMember(T1a, g1a, u2) (user of another tenant)',
    {
      doc: 'mutation($t: ID!, $g: ID!, $u: ID!) { addGroupMember(tenantId: $t, groupId: $g, userId: $u) { id } }',
      vars: (f) => ({ t: f.t1a, g: f.g1a, u: f.u2 }),
    },
    [NF, NF, NF, NF, NF, FB, FB, NF, UA],
  ],
  [
    'removeGroupMember(T1a, fresh group, u1a)',
    {
      doc: 'mutation($t: ID!, $g: ID!, $u: ID!) { removeGroupMember(tenantId: $t, groupId: $g, userId: $u) }',
      vars: async (f) => {
        const g = await fresh.group(f);
        await addMember(gw, f.su, f.t1a, g, f.u1a);
        return { t: f.t1a, g, u: f.u1a };
      },
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],

  // ---------------------------------------------------------------- mutations: assignments
  [
    'assignApplicationToUser(T1a, u1a, GLOBAL)',
    {
      doc: 'mutation($t: ID!, $u: ID!, $a: ID!) { assignApplicationToUser(tenantId: $t, userId: $u, applicationId: $a) { id } }',
      vars: (f) => ({ t: f.t1a, u: f.u1a, a: f.apps.global }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'assignApplicationToUser(T1a, u1a, P2 App) (not available to T1a)',
    {
      doc: 'mutation($t: ID!, $u: ID!, $a: ID!) { assignApplicationToUser(tenantId: $t, userId: $u, applicationId: $a) { id } }',
      vars: (f) => ({ t: f.t1a, u: f.u1a, a: f.apps.p2 }),
    },
    [NF, NF, NF, NF, NF, FB, FB, NF, UA],
  ],
  [
    'assignApplicationsToUser(T1a, u1a, [GLOBAL, T1A App])',
    {
      doc: 'mutation($t: ID!, $u: ID!, $a: [ID!]!) { assignApplicationsToUser(tenantId: $t, userId: $u, applicationIds: $a) { id } }',
      vars: (f) => ({ t: f.t1a, u: f.u1a, a: [f.apps.global, f.apps.t1a] }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'unassignApplicationFromUser(T1a, u1a, P1 App)',
    {
      doc: 'mutation($t: ID!, $u: ID!, $a: ID!) { unassignApplicationFromUser(tenantId: $t, userId: $u, applicationId: $a) }',
      vars: async (f) => {
        await assignUser(gw, f.su, f.t1a, f.u1a, f.apps.p1);
        return { t: f.t1a, u: f.u1a, a: f.apps.p1 };
      },
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'assignApplicationToGroup(T1a, g1a, T1A App)',
    {
      doc: 'mutation($t: ID!, $g: ID!, $a: ID!) { assignApplicationToGroup(tenantId: $t, groupId: $g, applicationId: $a) { id } }',
      vars: (f) => ({ t: f.t1a, g: f.g1a, a: f.apps.t1a }),
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
  [
    'assignApplicationToGroup(T2, g2, T2 App)',
    {
      doc: 'mutation($t: ID!, $g: ID!, $a: ID!) { assignApplicationToGroup(tenantId: $t, groupId: $g, applicationId: $a) { id } }',
      vars: (f) => ({ t: f.t2, g: f.g2, a: f.apps.t2 }),
    },
    [D, NF, D, NF, D, FB, FB, NF, UA],
  ],
  [
    'unassignApplicationFromGroup(T1a, g1a, P1 App)',
    {
      doc: 'mutation($t: ID!, $g: ID!, $a: ID!) { unassignApplicationFromGroup(tenantId: $t, groupId: $g, applicationId: $a) }',
      vars: async (f) => {
        await gqlAs(gw, f.su, 'mutation($t: ID!, $g: ID!, $a: ID!) { assignApplicationToGroup(tenantId: $t, groupId: $g, applicationId: $a) { id } }', {
          t: f.t1a,
          g: f.g1a,
          a: f.apps.p1,
        });
        return { t: f.t1a, g: f.g1a, a: f.apps.p1 };
      },
    },
    [D, D, NF, D, NF, FB, FB, D, UA],
  ],
];

function describeExpect(expect: Exclude<Expect, null>): string {
  if (typeof expect === 'string') return expect === 'D' ? 'data' : expect;
  return JSON.stringify(expect.is);
}

const CELLS = MATRIX.flatMap(([operation, op, row]) => {
  if (row.length !== VIEWERS.length) throw new Error(`matrix row "${operation}" has ${row.length} cells, expected ${VIEWERS.length}`);
  return row.flatMap((expect, column) => (expect === null ? [] : [{ operation, op, viewer: VIEWERS[column], expect, label: describeExpect(expect) }]));
});

describe('permission matrix (SPEC §3)', () => {
  let f: AuthWorld;

  beforeAll(async () => {
    gw = await startTestGateway();
    f = await buildAuthWorld(gw);
  });
  afterAll(() => gw.close());

  it('covers every root field of the schema', () => {
    const schema = buildSchema();
    const covered = new Set(MATRIX.map(([operation]) => operation.split(/[ (]/)[0]));
    const roots = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())];
    expect(roots.filter((field) => !covered.has(field))).toEqual([]);
  });

  it.each(CELLS)('$operation | $viewer → $label', async ({ op, viewer, expect: expected }) => {
    const vars = (await op.vars?.(f, viewer)) ?? {};
    const result: GraphQLResult = await gw.gql(op.doc, vars, f.tokens[viewer]);
    if (expected === 'D' || typeof expected === 'object') {
      expect(result.errors ?? []).toEqual([]);
      expect(result.data).toBeTruthy();
      if (typeof expected === 'object') {
        const picked = op.pick!(result.data, f);
        expect(Array.isArray(picked) ? [...picked].sort() : picked).toEqual(expected.is);
      }
    } else {
      expect({ code: codeOf(result), message: result.errors?.[0]?.message }).toEqual({ code: expected, message: expect.any(String) });
    }
  });
});
