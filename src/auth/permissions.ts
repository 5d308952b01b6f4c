import { middleware, type IMiddlewareGenerator, type IMiddlewareTypeMap } from 'graphql-middleware';
import type { GraphQLResolveInfo } from 'graphql';
import { allow, and, deny, or, rule, shield } from 'graphql-shield';
import { ForbiddenError, UnauthenticatedError } from '../common/errors.js';
import { hasScope as viewerHasScope, isAdmin as viewerIsAdmin, READ_SCOPE, WRITE_SCOPE, type Viewer } from './viewer.js';

/**
 * Who may call what (SPEC §3), as one graphql-shield map over the whole schema with `deny` as the
 * fallback. Rules decide by the caller's kind (authenticated, admin, application) and token scopes only;
 * level rules (super, partner and tenant admins: who may create partners or tenants, write which rows)
 * live in src/auth/rights.ts alone, checked by the services. Which rows a caller sees, and whether it
 * may change a row it sees, is decided by the data layer's SQL filters (src/auth/visibility.ts) and
 * rights (src/auth/rights.ts): invisible → NOT_FOUND, visible but not writable → FORBIDDEN.
 */
/** Rules read the caller only: the GraphQL context carries it as `viewer`. */
type Ctx = { viewer: Viewer };
type ShieldRule = Parameters<typeof and>[number];

/**
 * SPEC §3: a missing token → 401. Apollo takes the HTTP status from `extensions.http` (and drops it
 * from the response); graphql-js copies an original error's `extensions`, formatError keeps the code.
 */
function missingToken(): UnauthenticatedError {
  return Object.assign(new UnauthenticatedError('This operation needs a bearer token'), {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}
const isAuthenticated = rule({ cache: 'contextual' })((_parent, _args, ctx: Ctx) => (ctx.viewer.kind === 'anonymous' ? missingToken() : true));
const isAdmin = rule({ cache: 'contextual' })((_p, _a, ctx: Ctx) => viewerIsAdmin(ctx.viewer));
/** A non-management application's own token: it reads its own application and effective users only. */
const isApplication = rule({ cache: 'contextual' })((_p, _a, ctx: Ctx) => ctx.viewer.kind === 'application');
const hasScope = (scope: string) =>
  rule(`hasScope:${scope}`, { cache: 'contextual' })((_p, _a, ctx: Ctx) => (viewerHasScope(ctx.viewer, scope) ? true : new ForbiddenError(`This token lacks the ${scope} scope`)));
const canRead = hasScope(READ_SCOPE);
const canWrite = hasScope(WRITE_SCOPE);

/** An admin whose token carries admin:read. */
const adminRead = and(isAuthenticated, isAdmin, canRead);
/** An admin whose token carries admin:write. */
const adminWrite = and(isAuthenticated, isAdmin, canWrite);
/** Readers of one application and its effective users: admins, and the application itself. */
const applicationRead = and(isAuthenticated, or(isApplication, and(isAdmin, canRead)));

export const rules: Record<string, ShieldRule | Record<string, ShieldRule>> = {
  Query: {
    me: isAuthenticated,
    partners: adminRead,
    partner: adminRead,
    tenants: adminRead,
    tenant: adminRead,
    applications: adminRead,
    application: applicationRead,
    effectiveUsers: applicationRead,
    applicationAssignees: adminRead,
    managementApplications: adminRead,
    users: adminRead,
    user: adminRead,
    groups: adminRead,
    group: adminRead,
    groupMembers: adminRead,
    userApplications: adminRead,
    groupApplications: adminRead,
    auditEvents: adminRead,
    accessExplanation: adminRead,
    // Previewing a write needs the write's scope; the rows' rights are checked as the write checks them.
    previewAccessChange: adminWrite,
    accessChanges: applicationRead,
  },
  Mutation: {
    // Partners: super admins only (rights.createPartner / writePartner; update/delete also answer NOT_FOUND for partners the caller cannot see).
    createPartner: adminWrite,
    updatePartner: adminWrite,
    deletePartner: adminWrite,
    // Tenants: created by super admins and partner admins in their partner (rights.createTenant, createOrDeleteTenant); tenant admins update their own.
    createTenant: adminWrite,
    updateTenant: adminWrite,
    deleteTenant: adminWrite,
    // Applications: the scope decides (rights.writeApplication).
    createApplication: adminWrite,
    updateApplication: adminWrite,
    deleteApplication: adminWrite,
    rotateApplicationSecret: adminWrite,
    revokeSecret: adminWrite,
    // Restores: the same rights as the deletes (rights.ts), on rows found through visibility minus liveness.
    restoreApplication: adminWrite,
    restoreTenant: adminWrite,
    restoreUser: adminWrite,
    restoreGroup: adminWrite,
    createManagementApplication: adminWrite,
    updateManagementApplication: adminWrite,
    deleteManagementApplication: adminWrite,
    // Users, groups, memberships, assignments: any admin, inside the tenants it sees.
    createUser: adminWrite,
    updateUser: adminWrite,
    deleteUser: adminWrite,
    createGroup: adminWrite,
    updateGroup: adminWrite,
    deleteGroup: adminWrite,
    addGroupMember: adminWrite,
    removeGroupMember: adminWrite,
    assignApplicationToUser: adminWrite,
    assignApplicationsToUser: adminWrite,
    unassignApplicationFromUser: adminWrite,
    assignApplicationToGroup: adminWrite,
    unassignApplicationFromGroup: adminWrite,
  },
  // Nested fields that reach more data carry their own rule; plain fields of a row already read are allowed.
  Application: {
    '*': allow,
    effectiveUsers: applicationRead,
    effectiveUserCount: applicationRead,
    assignees: adminRead,
    // Dates only, never a secret: an application may see its own (it reads its own application).
    secrets: applicationRead,
    partner: adminRead,
    tenant: adminRead,
  },
  Partner: { '*': allow, tenants: adminRead },
  Tenant: { '*': allow, partner: adminRead, users: adminRead, groups: adminRead, availableApplications: adminRead },
  User: { '*': allow, tenant: adminRead, groups: adminRead, applications: adminRead },
  Group: { '*': allow, tenant: adminRead, members: adminRead, applications: adminRead },
  EffectiveUser: { '*': allow, tenant: adminRead },
  AppAssignment: { '*': allow, application: adminRead },
  Assignment: { '*': allow, application: adminRead },
  Me: allow,
  TenantSettings: allow,
  PasswordPolicy: allow,
  GroupRef: allow,
  PageInfo: allow,
  PartnerPage: allow,
  TenantPage: allow,
  ApplicationPage: allow,
  UserPage: allow,
  GroupPage: allow,
  EffectiveUserPage: allow,
  AuditEventPage: allow,
  AuditEvent: allow,
  ApplicationAssignees: allow,
  UserApplications: allow,
  ApplicationWithSecret: allow,
  RotatedSecret: allow,
  ApplicationSecret: allow,
  AccessExplanation: allow,
  AccessBlocker: allow,
  DirectAccess: allow,
  GroupAccess: allow,
  AccessPreview: allow,
  ApplicationAccessImpact: allow,
  AccessChangePage: allow,
  AccessChange: allow,
};

const shieldMiddleware = shield<unknown, Ctx>(rules, {
  fallbackRule: deny,
  fallbackError: () => new ForbiddenError(),
  // Our typed errors (NOT_FOUND, CONFLICT, ...) pass through; anything else is masked at the edge (src/graphql/errors.ts).
  allowExternalErrors: true,
});

/** The rule graphql-shield applies to a field: the field's, else the type's `*`, else the fallback. */
function ruleOf(typeName: string, fieldName: string): ShieldRule {
  const typeRules = rules[typeName];
  if (typeRules === undefined) return deny;
  if (Object.getPrototypeOf(typeRules) !== Object.prototype) return typeRules as ShieldRule;
  const fieldRules = typeRules as Record<string, ShieldRule>;
  return fieldRules[fieldName] ?? fieldRules['*'] ?? deny;
}

/**
 * The shield map, as middleware on the fields whose rule is not `allow`: wrapping every leaf field of
 * every row in an async rule check costs promises per value and decides nothing. With
 * `allowExternalErrors`, shield passes an allowed field's errors through unchanged, so leaving those
 * fields unwrapped keeps their behaviour.
 */
export const permissions: IMiddlewareGenerator<unknown, Ctx, unknown> = middleware<unknown, Ctx, unknown>((schema) => {
  const generated = shieldMiddleware.generate(schema) as IMiddlewareTypeMap<unknown, Ctx, unknown>;
  const checked: IMiddlewareTypeMap<unknown, Ctx, unknown> = {};
  for (const [typeName, fields] of Object.entries(generated)) {
    const kept = Object.entries(fields as Record<string, unknown>)
      .filter(([fieldName]) => ruleOf(typeName, fieldName) !== allow)
      .map(([fieldName, fieldMiddleware]): [string, FieldMiddleware] => [fieldName, onceAllowed(ruleOf(typeName, fieldName), fieldMiddleware as FieldMiddleware)]);
    if (kept.length) checked[typeName] = Object.fromEntries(kept);
  }
  return checked;
});

type Resolver = (parent: unknown, args: unknown, ctx: Ctx, info: GraphQLResolveInfo) => unknown;
type MiddlewareFunction = (resolve: Resolver, parent: unknown, args: unknown, ctx: Ctx, info: GraphQLResolveInfo) => Promise<unknown>;
/** What shield generates per field: the function, or `{ resolve, fragment(s) }` for rules with fragments. */
type FieldMiddleware = MiddlewareFunction | { resolve: MiddlewareFunction };

/** A rule whose answer depends on the context only (every rule of this map): the same for every field of one request. */
function isContextual(rule: ShieldRule): boolean {
  const shape = rule as { getRules?: () => ShieldRule[]; cache?: unknown; func?: unknown };
  // Logic rules (and, or) combine others; `allow` and `deny` have neither rules nor a cache.
  if (typeof shape.getRules === 'function') return shape.getRules().length > 0 && shape.getRules().every(isContextual);
  return typeof shape.func === 'function' && shape.cache === 'contextual';
}

/**
 * Per request (keyed by the context resolvers get), per contextual rule: the first evaluation's outcome,
 * true once shield let a field through, false when it did not. Sibling fields (an application's
 * effectiveUsers on each of 50 rows) start before the first evaluation ends, so they wait for it rather
 * than each walking shield's rule tree again.
 */
const firstEvaluations = new WeakMap<object, Map<ShieldRule, Promise<boolean>>>();

/**
 * A contextual rule allows or denies every field of a request alike. Once it has let one field of the
 * request through, other fields under it go straight to the resolver, as shield would after evaluating
 * the rule tree again: resolver errors returned, not thrown (shield's `allowExternalErrors`). A denial is
 * left to shield every time (each denied field gets shield's own error).
 */
function onceAllowed(rule: ShieldRule, fieldMiddleware: FieldMiddleware): FieldMiddleware {
  if (!isContextual(rule)) return fieldMiddleware;
  const checked = typeof fieldMiddleware === 'function' ? fieldMiddleware : fieldMiddleware.resolve;
  const direct = async (resolve: Resolver, parent: unknown, args: unknown, ctx: Ctx, info: GraphQLResolveInfo) => {
    try {
      return await resolve(parent, args, ctx, info);
    } catch (error) {
      return error;
    }
  };
  const fast: MiddlewareFunction = async (resolve, parent, args, ctx, info) => {
    let evaluations = firstEvaluations.get(ctx);
    if (!evaluations) firstEvaluations.set(ctx, (evaluations = new Map<ShieldRule, Promise<boolean>>()));
    const first = evaluations.get(rule);
    if (first) return (await first) ? direct(resolve, parent, args, ctx, info) : checked(resolve, parent, args, ctx, info);
    let decide!: (allowed: boolean) => void;
    evaluations.set(rule, new Promise<boolean>((done) => (decide = done)));
    // Shield calls `resolve` only when the rule allowed the field.
    const remember: Resolver = (...call) => {
      decide(true);
      return resolve(...call);
    };
    try {
      return await checked(remember, parent, args, ctx, info);
    } finally {
      // Denied (or shield failed): later fields ask shield themselves. A no-op when already allowed.
      decide(false);
    }
  };
  return typeof fieldMiddleware === 'function' ? fast : { ...fieldMiddleware, resolve: fast };
}
