import type { Knex } from '@mikro-orm/postgresql';
import { visibleAssignments, whereApplicationVisible, whereAvailableToTenant } from '../../auth/visibility.js';
import { rows } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import { groupByParent, keyedLoader } from '../loader-kit.js';
import { AssignmentType, type AppAssignment, type ApplicationAssignees } from './assignment.types.js';
import { createEffectiveAccessLoaders } from './effective-access.loaders.js';

/**
 * Who holds which application, computed by the database (SPEC §2): never by loading assignments
 * into JavaScript and merging.
 */
export function createAssignmentLoaders(ctx: RequestContext) {
  const { em, knex, viewer } = ctx;

  /** AppAssignment rows (one per application) of the given users; `includeGroups` adds those held via groups. */
  const userApplicationRows = (userIds: string[], includeGroups: boolean): Knex.QueryBuilder => {
    const held = knex.select('d.user_id', 'd.application_id', knex.raw('null::uuid as group_id'), 'd.created_at').from('app_assignment as d').whereIn('d.user_id', userIds);
    if (includeGroups) {
      held.unionAll((q) =>
        q
          .select('m.user_id', 'ga.application_id', 'ga.group_id', 'ga.created_at')
          .from('app_assignment as ga')
          .join('group_member as m', 'm.group_id', 'ga.group_id')
          .join('user_group as g', (j) => j.on('g.id', 'ga.group_id').andOnNull('g.deleted_at'))
          .whereIn('m.user_id', userIds),
      );
    }
    // One entry per application: the direct assignment when there is one, else the earliest group one.
    const perApplication = knex
      .from(held.as('h'))
      .join('app_user as u', 'u.id', 'h.user_id')
      .join('tenant as t', 't.id', 'u.tenant_id')
      .join('application as a', 'a.id', 'h.application_id')
      .distinctOn(['h.user_id', 'h.application_id'])
      .select(
        knex.raw('h.user_id as parent_key'),
        knex.raw('a.id as application_id'),
        knex.raw('a.name as application_name'),
        knex.raw('a.client_id as application_client_id'),
        knex.raw('h.created_at as assigned_at'),
        knex.raw('h.group_id as assigned_via'),
      )
      .orderByRaw('h.user_id, h.application_id, (h.group_id is not null), h.created_at, h.group_id');
    whereApplicationVisible(knex, viewer, 'a')(perApplication);
    whereAvailableToTenant('a', 'u.tenant_id', 't.partner_id')(perApplication);
    return knex
      .select('*')
      .from(perApplication.as('p'))
      .orderBy([{ column: 'p.application_name' }, { column: 'p.application_id' }]);
  };

  const toAppAssignment = (row: Record<string, unknown>): AppAssignment => ({
    applicationId: String(row.application_id),
    applicationName: String(row.application_name),
    applicationClientId: String(row.application_client_id),
    assignedAt: new Date(row.assigned_at as string),
    assignmentType: row.assigned_via ? AssignmentType.group : AssignmentType.direct,
    assignedVia: (row.assigned_via as string | null) ?? null,
  });

  return {
    /** Application.effectiveUsers / effectiveUserCount, from the effective-access index. */
    effectiveUsers: createEffectiveAccessLoaders(ctx),

    /** Application.assignees: direct assignments (live users and groups) of visible tenants. */
    applicationAssignees: keyedLoader<{ tenantId: string | null }, ApplicationAssignees | null>(
      async (applicationIds, filter) => {
        const qb = visibleAssignments(knex, viewer)
          .leftJoin('app_user as u', (j) => j.on('u.id', 'x.user_id').andOnNull('u.deleted_at'))
          .leftJoin('user_group as g', (j) => j.on('g.id', 'x.group_id').andOnNull('g.deleted_at'))
          .select(knex.raw('x.application_id as parent_key'), 'u.id as user_id', 'g.id as group_id')
          .whereIn('x.application_id', applicationIds)
          .where((w) => w.whereNotNull('u.id').orWhereNotNull('g.id'))
          .orderBy([{ column: 'x.created_at' }, { column: 'x.id' }]);
        if (filter.tenantId) qb.where('x.tenant_id', filter.tenantId);
        const grouped = groupByParent(await rows(em, qb), (row) => row);
        return new Map(
          applicationIds.map((applicationId) => {
            const found = grouped.get(applicationId) ?? [];
            const users = found.filter((row) => row.user_id).map((row) => String(row.user_id));
            const groups = found.filter((row) => row.group_id).map((row) => String(row.group_id));
            return [applicationId, { applicationId, users, groups, totalUsers: users.length, totalGroups: groups.length }];
          }),
        );
      },
      () => null,
    ),

    /** User.applications: one entry per application, direct or through groups. */
    userApplications: keyedLoader<{ includeGroups: boolean }, AppAssignment[]>(
      async (userIds, { includeGroups }) => {
        return groupByParent(await rows(em, userApplicationRows(userIds, includeGroups)), toAppAssignment);
      },
      () => [],
    ),

    /** Group.applications: the live applications assigned to a group. */
    groupApplications: keyedLoader<null, AppAssignment[]>(
      async (groupIds) => {
        const qb = knex('app_assignment as x')
          .join('application as a', 'a.id', 'x.application_id')
          .join('tenant as t', 't.id', 'x.tenant_id')
          .select(
            knex.raw('x.group_id as parent_key'),
            knex.raw('a.id as application_id'),
            knex.raw('a.name as application_name'),
            knex.raw('a.client_id as application_client_id'),
            knex.raw('x.created_at as assigned_at'),
            knex.raw('x.group_id as assigned_via'),
          )
          .whereIn('x.group_id', groupIds)
          .orderBy([{ column: 'a.name' }, { column: 'a.id' }]);
        whereApplicationVisible(knex, viewer, 'a')(qb);
        whereAvailableToTenant('a', 'x.tenant_id', 't.partner_id')(qb);
        return groupByParent(await rows(em, qb), toAppAssignment);
      },
      () => [],
    ),
  };
}
