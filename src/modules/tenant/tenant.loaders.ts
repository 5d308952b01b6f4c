import { visibleApplications, visibleGroups, visibleTenants, visibleUsers, whereAvailableToTenant, whereTenantVisible } from '../../auth/visibility.js';
import { entityColumns } from '../../common/paging.js';
import { containsPattern } from '../../common/search.js';
import { rows } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import { byIdLoader, childPages } from '../loader-kit.js';
import { Application } from '../application/application.entity.js';
import { Group } from '../group/group.entity.js';
import { User, type UserStatus } from '../user/user.entity.js';
import { Tenant } from './tenant.entity.js';

export interface UserFilter {
  search: string | null;
  status: UserStatus | null;
  /** Also soft-deleted users (the caller was checked by rights.seeDeleted). */
  includeDeleted?: boolean;
}

export function createTenantLoaders(ctx: RequestContext) {
  const { em, knex, viewer } = ctx;
  return {
    tenantById: byIdLoader<Tenant>(async (ids) => (await rows(em, visibleTenants(knex, viewer).select('t.*').whereIn('t.id', ids))).map((row) => em.map(Tenant, row))),

    /** Tenant.users and GET /tenants/{t}/users: live users of visible tenants. */
    tenantUsers: childPages<User, UserFilter>(ctx, {
      base: (tenantIds, filter) => {
        const qb = visibleUsers(knex, viewer, { includeDeleted: filter.includeDeleted }).select('u.*', knex.raw('u.tenant_id as parent_key')).whereIn('u.tenant_id', tenantIds);
        if (filter.search) qb.where((w) => w.whereILike('u.email', containsPattern(filter.search!)).orWhereILike('u.name', containsPattern(filter.search!)));
        if (filter.status) qb.where('u.status', filter.status);
        return qb;
      },
      orderBy: 'b.email collate "C", b.id',
      map: (row) => em.map(User, entityColumns(row)),
    }),

    /** Tenant.groups and GET /tenants/{t}/groups. */
    tenantGroups: childPages<Group, { search: string | null; includeDeleted?: boolean }>(ctx, {
      base: (tenantIds, filter) => {
        const qb = visibleGroups(knex, viewer, { includeDeleted: filter.includeDeleted }).select('g.*', knex.raw('g.tenant_id as parent_key')).whereIn('g.tenant_id', tenantIds);
        if (filter.search) qb.where((w) => w.whereILike('g.name', containsPattern(filter.search!)).orWhereILike('g.description', containsPattern(filter.search!)));
        return qb;
      },
      orderBy: 'b.name, b.id',
      map: (row) => em.map(Group, entityColumns(row)),
    }),

    /** Tenant.availableApplications: GLOBAL, PARTNER of the tenant's partner, TENANT of the tenant (SPEC §1). */
    tenantAvailableApplications: childPages<Application>(ctx, {
      base: (tenantIds) => {
        const qb = visibleApplications(knex, viewer)
          .join('tenant as at', (j) => j.onIn('at.id', tenantIds))
          .select('a.*', knex.raw('at.id as parent_key'));
        whereTenantVisible(knex, viewer, 'at.id')(qb);
        whereAvailableToTenant('a', 'at.id', 'at.partner_id')(qb);
        return qb;
      },
      orderBy: 'b.name, b.id',
      map: (row) => em.map(Application, entityColumns(row)),
    }),
  };
}
