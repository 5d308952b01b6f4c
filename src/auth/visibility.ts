import type { Knex } from '@mikro-orm/postgresql';
import type { PartnerAdminViewer, TenantAdminViewer, Viewer } from './viewer.js';

/**
 * What a viewer may see, as SQL (SPEC §3). Every read of the data layer applies one of these
 * filters in its WHERE clause, so lists, counts and page totals agree and nested fields cannot leak.
 * Liveness (soft delete, SPEC §1) is part of visibility: a deleted tenant hides everything under it.
 */
type Where = (qb: Knex.QueryBuilder) => void;

const NOTHING: Where = (qb) => void qb.whereRaw('false');
const EVERYTHING: Where = () => {};

/**
 * `includeDeleted`: the same visibility minus the liveness conditions, to find soft-deleted rows
 * (restore, `includeDeleted` lists). Whether the viewer may see deleted rows at all is rights.seeDeleted.
 */
export interface VisibilityOptions {
  includeDeleted?: boolean;
}

/** The ids of the tenants an admin's level reaches (all, its partner's, its own), as `tenant as <alias>` after `live`. */
function tenantIdsInReach(knex: Knex, viewer: Viewer, alias: string, live: Where): Knex.QueryBuilder {
  const qb = knex(`tenant as ${alias}`).select(`${alias}.id`);
  live(qb);
  switch (viewer.kind) {
    case 'super_admin':
      return qb;
    case 'partner_admin':
      return qb.where(`${alias}.partner_id`, viewer.partnerId);
    case 'tenant_admin':
      return qb.where(`${alias}.id`, viewer.tenantId);
    default:
      return qb.whereRaw('false');
  }
}

/** Live tenants the viewer may see (deleted ones too with `includeDeleted`), as a sub-select of ids. */
export function visibleTenantIds(knex: Knex, viewer: Viewer, options: VisibilityOptions = {}): Knex.QueryBuilder {
  return tenantIdsInReach(knex, viewer, 'vt', liveUnless(options, 'vt'));
}

/** Restricts rows whose tenant is `tenantColumn` to tenants the viewer may see. */
export function whereTenantVisible(knex: Knex, viewer: Viewer, tenantColumn: string): Where {
  if (viewer.kind === 'anonymous' || viewer.kind === 'application') return NOTHING;
  if (viewer.kind === 'tenant_admin') {
    // The viewer's tenant was found live when the token was accepted; still re-checked, it may be deleted since.
    return (qb) => void qb.where(tenantColumn, viewer.tenantId).whereIn(tenantColumn, visibleTenantIds(knex, viewer));
  }
  return (qb) => void qb.whereIn(tenantColumn, visibleTenantIds(knex, viewer));
}

/** Live partners the viewer may see: all (super), its own (partner admin), its tenant's (tenant admin). */
export function wherePartnerVisible(viewer: Viewer, alias: string): Where {
  const live = liveRow(alias);
  switch (viewer.kind) {
    case 'super_admin':
      return live;
    case 'partner_admin':
      return (qb) => void live(qb.where(`${alias}.id`, viewer.partnerId));
    case 'tenant_admin':
      return viewer.partnerId ? (qb) => void live(qb.where(`${alias}.id`, viewer.partnerId)) : NOTHING;
    default:
      return NOTHING;
  }
}

/**
 * Live applications the viewer may see (SPEC §3 "applications visible"). An application is live when
 * it is not deleted and neither is the partner or tenant that owns it.
 */
export function whereApplicationVisible(knex: Knex, viewer: Viewer, alias: string, options: VisibilityOptions = {}): Where {
  const live: Where = (qb) =>
    void (options.includeDeleted
      ? qb
      : qb
          .whereNull(`${alias}.deleted_at`)
          .where((w) => w.whereNull(`${alias}.partner_id`).orWhereIn(`${alias}.partner_id`, liveIds(knex, 'partner')))
          .where((w) => w.whereNull(`${alias}.tenant_id`).orWhereIn(`${alias}.tenant_id`, liveIds(knex, 'tenant'))));
  switch (viewer.kind) {
    case 'super_admin':
      return live;
    case 'partner_admin':
    case 'tenant_admin': {
      const scoped = whereApplicationScopeReached(viewer, alias, () => visibleTenantIds(knex, viewer, options));
      return (qb) => {
        scoped(qb);
        live(qb);
      };
    }
    case 'application':
      return (qb) => void live(qb.where(`${alias}.id`, viewer.applicationId));
    default:
      return NOTHING;
  }
}

/**
 * Applications available to the tenant in `tenantColumn` (SPEC §1): GLOBAL, PARTNER of the
 * tenant's partner, TENANT of that tenant. Joins nothing; expects `tenantPartnerColumn` in scope.
 */
export function whereAvailableToTenant(alias: string, tenantColumn: string, tenantPartnerColumn: string): Where {
  return (qb) =>
    void qb.where((w) =>
      w
        .where(`${alias}.scope`, 'GLOBAL')
        .orWhere((p) => p.where(`${alias}.scope`, 'PARTNER').whereRaw(`${alias}.partner_id = ${tenantPartnerColumn}`))
        .orWhere((t) => t.where(`${alias}.scope`, 'TENANT').whereRaw(`${alias}.tenant_id = ${tenantColumn}`)),
    );
}

/**
 * Effective users a viewer may see (SPEC §3 "effective users seen"): admins see the users of their
 * visible tenants; an application token reads its own application's effective users in every tenant
 * of the application's scope (the application itself was already checked to be its own).
 */
export function whereEffectiveUserVisible(knex: Knex, viewer: Viewer, tenantColumn: string): Where {
  if (viewer.kind === 'application') return (qb) => void qb.whereIn(tenantColumn, liveIds(knex, 'tenant'));
  return whereTenantVisible(knex, viewer, tenantColumn);
}

/**
 * `whereEffectiveUserVisible` on the effective-access index, whose rows exist only for live tenants:
 * no liveness sub-select, so super admins and application tokens read the application's index range
 * as it is (an index range scan in page order), a tenant admin reads its tenant's range.
 */
export function whereIndexedEffectiveUserVisible(knex: Knex, viewer: Viewer, tenantColumn: string): Where {
  return whereTenantOfWholeRange(viewer, tenantColumn, () => visibleTenantIds(knex, viewer));
}

/**
 * Rows of an application-wide range (index rows, change feed) by their tenant: super admins and
 * application tokens read the whole range, a tenant admin its tenant's rows, a partner admin the rows
 * of the tenants in `partnerTenantIds`.
 */
function whereTenantOfWholeRange(viewer: Viewer, tenantColumn: string, partnerTenantIds: () => Knex.QueryBuilder): Where {
  switch (viewer.kind) {
    case 'super_admin':
    case 'application':
      return EVERYTHING;
    case 'partner_admin':
      return (qb) => void qb.whereIn(tenantColumn, partnerTenantIds());
    case 'tenant_admin':
      return (qb) => void qb.where(tenantColumn, viewer.tenantId);
    default:
      return NOTHING;
  }
}

/**
 * Tenants in the viewer's reach whether deleted or not (issue 11): the change feed keeps revocations
 * of a deleted tenant's users, and an access explanation names a deleted user or tenant as the reason,
 * for the admins who could see that tenant while it was live.
 */
export function reachableTenantIds(knex: Knex, viewer: Viewer): Knex.QueryBuilder {
  return tenantIdsInReach(knex, viewer, 'rt', EVERYTHING);
}

/** Change-feed rows (their tenant in `tenantColumn`) a viewer may read; an application token reads its own application's whole feed. */
export function whereAccessChangeVisible(knex: Knex, viewer: Viewer, tenantColumn: string): Where {
  return whereTenantOfWholeRange(viewer, tenantColumn, () => reachableTenantIds(knex, viewer));
}

/**
 * Applications an admin could see by scope, deleted or not (an access explanation names
 * APPLICATION_DELETED rather than answering 404 to whoever could see it while live).
 */
export function whereApplicationInReach(knex: Knex, viewer: Viewer, alias: string): Where {
  switch (viewer.kind) {
    case 'super_admin':
      return EVERYTHING;
    case 'partner_admin':
    case 'tenant_admin':
      return whereApplicationScopeReached(viewer, alias, () => reachableTenantIds(knex, viewer));
    default:
      return NOTHING;
  }
}

/**
 * The scope rule of SPEC §3 for an admin, liveness aside: GLOBAL; PARTNER of the admin's partner; TENANT
 * of its tenant (tenant admin) or of the tenants in `partnerTenantIds` (partner admin).
 */
function whereApplicationScopeReached(viewer: PartnerAdminViewer | TenantAdminViewer, alias: string, partnerTenantIds: () => Knex.QueryBuilder): Where {
  const partnerScoped = (p: Knex.QueryBuilder) => p.where(`${alias}.scope`, 'PARTNER').where(`${alias}.partner_id`, viewer.partnerId);
  if (viewer.kind === 'partner_admin') {
    return (qb) =>
      void qb.where((w) =>
        w
          .where(`${alias}.scope`, 'GLOBAL')
          .orWhere(partnerScoped)
          .orWhere((t) => t.where(`${alias}.scope`, 'TENANT').whereIn(`${alias}.tenant_id`, partnerTenantIds())),
      );
  }
  return (qb) =>
    void qb.where((w) => {
      w.where(`${alias}.scope`, 'GLOBAL').orWhere((t) => t.where(`${alias}.scope`, 'TENANT').where(`${alias}.tenant_id`, viewer.tenantId));
      if (viewer.partnerId) w.orWhere(partnerScoped);
    });
}

// ---------------------------------------------------------------------------------------------
// Liveness (SPEC §1 soft delete), one predicate per kind of row. Every read that must skip deleted
// rows builds on these; the visible-row builders below include them.
// ---------------------------------------------------------------------------------------------

/** A partner, tenant, user or group row is live when it is not soft-deleted. */
export function liveRow(alias: string): Where {
  return (qb) => void qb.whereNull(`${alias}.deleted_at`);
}

/** `liveRow`, or no condition with `includeDeleted`. */
function liveUnless(options: VisibilityOptions, alias: string): Where {
  return options.includeDeleted ? EVERYTHING : liveRow(alias);
}

/** Ids of the live partners or tenants, as a sub-select (whoever the viewer: liveness only). */
export function liveIds(knex: Knex, table: 'partner' | 'tenant'): Knex.QueryBuilder {
  return knex(table).select('id').whereNull('deleted_at');
}

/**
 * A live application: not deleted, and neither is its owning partner or tenant. Written as sub-selects
 * for the visibility filters (`whereApplicationVisible`) and, for the single-row lookups by credentials
 * (token check, /oauth/token), as left joins of the owners: `joinLiveApplicationOwners`.
 */
export function joinLiveApplicationOwners(qb: Knex.QueryBuilder, alias = 'a', tenantAlias = 't', partnerAlias = 'p'): Knex.QueryBuilder {
  return qb
    .leftJoin(`tenant as ${tenantAlias}`, `${tenantAlias}.id`, `${alias}.tenant_id`)
    .leftJoin(`partner as ${partnerAlias}`, `${partnerAlias}.id`, `${alias}.partner_id`)
    .whereNull(`${alias}.deleted_at`)
    .whereNull(`${tenantAlias}.deleted_at`)
    .whereNull(`${partnerAlias}.deleted_at`);
}

// ---------------------------------------------------------------------------------------------
// "Visible to this viewer": one query builder per kind of row, each starting `<table> as <alias>`.
// Services and loaders read these tables only through them (test/architecture/visibility.test.ts).
// ---------------------------------------------------------------------------------------------

/** `<table> as <alias>` with `filters` applied in order: the shape of every builder below. */
function rowsOf(knex: Knex, from: string, ...filters: Where[]): Knex.QueryBuilder {
  const qb = knex(from);
  for (const filter of filters) filter(qb);
  return qb;
}

/** Live partners the viewer may see, as `partner as p`. */
export function visiblePartners(knex: Knex, viewer: Viewer): Knex.QueryBuilder {
  return rowsOf(knex, 'partner as p', wherePartnerVisible(viewer, 'p'));
}

/** Live tenants the viewer may see (deleted ones too with `includeDeleted`), as `tenant as t`. */
export function visibleTenants(knex: Knex, viewer: Viewer, options: VisibilityOptions = {}): Knex.QueryBuilder {
  return knex('tenant as t').whereIn('t.id', visibleTenantIds(knex, viewer, options));
}

/** Live users (deleted ones too with `includeDeleted`) of live tenants the viewer may see, as `app_user as u`. */
export function visibleUsers(knex: Knex, viewer: Viewer, options: VisibilityOptions = {}): Knex.QueryBuilder {
  return rowsOf(knex, 'app_user as u', liveUnless(options, 'u'), whereTenantVisible(knex, viewer, 'u.tenant_id'));
}

/** Live groups (deleted ones too with `includeDeleted`) of live tenants the viewer may see, as `user_group as g`. */
export function visibleGroups(knex: Knex, viewer: Viewer, options: VisibilityOptions = {}): Knex.QueryBuilder {
  return rowsOf(knex, 'user_group as g', liveUnless(options, 'g'), whereTenantVisible(knex, viewer, 'g.tenant_id'));
}

/** Live applications the viewer may see (deleted ones too with `includeDeleted`), as `application as a`. */
export function visibleApplications(knex: Knex, viewer: Viewer, options: VisibilityOptions = {}): Knex.QueryBuilder {
  return rowsOf(knex, 'application as a', whereApplicationVisible(knex, viewer, 'a', options));
}

/**
 * Assignment rows of tenants the viewer may see, as `app_assignment as x`. Whether the assignee and the
 * application are live is the caller's join (an assignment is shown only with a live assignee/application).
 */
export function visibleAssignments(knex: Knex, viewer: Viewer): Knex.QueryBuilder {
  return rowsOf(knex, 'app_assignment as x', whereTenantVisible(knex, viewer, 'x.tenant_id'));
}

/**
 * Audit events the viewer may read, as `audit_event as e`: super admins all; a partner admin its
 * partner's own events and those of its tenants (live or deleted); a tenant admin its tenant's.
 */
export function visibleAuditEvents(knex: Knex, viewer: Viewer): Knex.QueryBuilder {
  const qb = knex('audit_event as e');
  if (viewer.kind === 'partner_admin') {
    qb.where((w) => w.where('e.partner_id', viewer.partnerId).orWhereIn('e.tenant_id', knex('tenant').select('id').where('partner_id', viewer.partnerId)));
  } else if (viewer.kind === 'tenant_admin') {
    qb.where('e.tenant_id', viewer.tenantId);
  } else if (viewer.kind !== 'super_admin') {
    qb.whereRaw('false');
  }
  return qb;
}

/** Effective-access index rows the viewer may read, as `effective_access as e` (see whereIndexedEffectiveUserVisible). */
export function visibleEffectiveAccess(knex: Knex, viewer: Viewer): Knex.QueryBuilder {
  return rowsOf(knex, 'effective_access as e', whereIndexedEffectiveUserVisible(knex, viewer, 'e.tenant_id'));
}

/** Per-tenant effective-user totals the viewer may read, as `effective_access_count as c`. */
export function visibleEffectiveAccessCounts(knex: Knex, viewer: Viewer): Knex.QueryBuilder {
  return rowsOf(knex, 'effective_access_count as c', whereIndexedEffectiveUserVisible(knex, viewer, 'c.tenant_id'));
}

/** Change-feed rows the viewer may read, as `access_change as c`. */
export function visibleAccessChanges(knex: Knex, viewer: Viewer): Knex.QueryBuilder {
  return rowsOf(knex, 'access_change as c', whereAccessChangeVisible(knex, viewer, 'c.tenant_id'));
}

/** Users whose tenant is in the viewer's reach, deleted or not (access explanations), as `app_user as u`. */
export function reachableUsers(knex: Knex, viewer: Viewer): Knex.QueryBuilder {
  return knex('app_user as u').whereIn('u.tenant_id', reachableTenantIds(knex, viewer));
}

/** Applications the viewer could see by scope, deleted or not (access explanations), as `application as a`. */
export function applicationsInReach(knex: Knex, viewer: Viewer): Knex.QueryBuilder {
  return rowsOf(knex, 'application as a', whereApplicationInReach(knex, viewer, 'a'));
}
