import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { visibleApplications, whereAvailableToTenant } from '../../auth/visibility.js';
import { NotFoundError } from '../../common/errors.js';
import { InputCheck } from '../../common/validate.js';
import { rows } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import type { ApplicationService } from '../application/application.service.js';
import type { GroupService } from '../group/group.service.js';
import type { TenantService } from '../tenant/tenant.service.js';
import type { UserService } from '../user/user.service.js';
import type { createAssignmentLoaders } from './assignment.loaders.js';
import { recordAudit } from '../audit/audit.service.js';
import { AppAssignmentRow } from './assignment.entity.js';
import {
  AssignmentType,
  type AppAssignment,
  type ApplicationAssignees,
  type Assignment,
  type EffectiveUserPageResult,
  type EffectiveUsersArgs,
  type UserApplications,
} from './assignment.types.js';
import { effectiveUsersRequest, type EffectiveUsersSelection } from './effective-access.loaders.js';

type Assignee = { userId: string } | { groupId: string };

function toAssignment(row: AppAssignmentRow): Assignment {
  return {
    id: row.id,
    tenantId: row.tenantId,
    applicationId: row.applicationId,
    userId: row.userId,
    groupId: row.groupId,
    assignmentType: row.userId ? AssignmentType.direct : AssignmentType.group,
    assignedAt: row.createdAt,
  };
}

/** The services an assignment reads its user, group, tenant and application through (each found through visibility). */
export interface AssignmentCollaborators {
  applications: Pick<ApplicationService, 'get'>;
  tenants: Pick<TenantService, 'get'>;
  users: Pick<UserService, 'get' | 'getIn'>;
  groups: Pick<GroupService, 'get' | 'getIn'>;
}

export class AssignmentService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly loaders: ReturnType<typeof createAssignmentLoaders>,
    private readonly services: AssignmentCollaborators,
  ) {}

  async effectiveUsers(applicationId: string, tenantId: string | null, args: EffectiveUsersArgs, selection?: EffectiveUsersSelection): Promise<EffectiveUserPageResult> {
    const request = effectiveUsersRequest(applicationId, args, selection);
    // An invisible application, or a tenant filter the caller cannot see, is NOT_FOUND (checked by the
    // page's own statement, one round trip); an application token filters its own users by any tenant.
    return this.loaders.effectiveUsers.checkedPage(applicationId, { tenantId }, request, Boolean(tenantId) && this.ctx.viewer.kind !== 'application');
  }

  async assignees(tenantId: string, applicationId: string): Promise<ApplicationAssignees> {
    await this.services.tenants.get(tenantId);
    await this.services.applications.get(applicationId);
    return (await this.loaders.applicationAssignees.load({ parentId: applicationId, options: { tenantId } }))!;
  }

  async userApplications(tenantId: string, userId: string, includeGroups: boolean): Promise<UserApplications> {
    await this.services.users.get(tenantId, userId);
    const applications = await this.loaders.userApplications.load({ parentId: userId, options: { includeGroups } });
    return { userId, applications, totalCount: applications.length };
  }

  async groupApplications(tenantId: string, groupId: string): Promise<AppAssignment[]> {
    await this.services.groups.get(tenantId, groupId);
    return this.loaders.groupApplications.load({ parentId: groupId, options: null });
  }

  async assignToUser(tenantId: string, userId: string, applicationId: string): Promise<Assignment> {
    return this.ctx.em.transactional(async (em) => {
      await this.services.users.getIn(em, tenantId, userId, 'share');
      const [assignment] = await this.assign(em, tenantId, { userId }, [applicationId]);
      return assignment;
    });
  }

  /** All or nothing: one application that is not available to the tenant → 404 and nothing assigned. */
  async assignManyToUser(tenantId: string, userId: string, applicationIds: string[]): Promise<Assignment[]> {
    const check = new InputCheck();
    if (applicationIds.length === 0) check.fail('applicationIds', 'must name at least one application', 'too_short');
    if (applicationIds.length > 100) check.fail('applicationIds', 'at most 100 applications at once', 'too_long');
    check.done();
    return this.ctx.em.transactional(async (em) => {
      await this.services.users.getIn(em, tenantId, userId, 'share');
      return this.assign(em, tenantId, { userId }, [...new Set(applicationIds)]);
    });
  }

  async assignToGroup(tenantId: string, groupId: string, applicationId: string): Promise<Assignment> {
    return this.ctx.em.transactional(async (em) => {
      await this.services.groups.getIn(em, tenantId, groupId, 'share');
      const [assignment] = await this.assign(em, tenantId, { groupId }, [applicationId]);
      return assignment;
    });
  }

  async unassignFromUser(tenantId: string, userId: string, applicationId: string): Promise<boolean> {
    return this.ctx.em.transactional(async (em) => {
      await this.services.users.getIn(em, tenantId, userId, 'share');
      return this.unassign(em, tenantId, { userId }, applicationId);
    });
  }

  async unassignFromGroup(tenantId: string, groupId: string, applicationId: string): Promise<boolean> {
    return this.ctx.em.transactional(async (em) => {
      await this.services.groups.getIn(em, tenantId, groupId, 'share');
      return this.unassign(em, tenantId, { groupId }, applicationId);
    });
  }

  /** Assigns applications available to the tenant; assigning twice keeps the one existing row. */
  private async assign(em: EntityManager, tenantId: string, assignee: Assignee, applicationIds: string[]): Promise<Assignment[]> {
    const knex = em.getKnex();
    const availableQuery = visibleApplications(knex, this.ctx.viewer)
      .join('tenant as t', 't.id', knex.raw('?', [tenantId]))
      .select('a.id')
      .whereIn('a.id', applicationIds);
    whereAvailableToTenant('a', 't.id', 't.partner_id')(availableQuery);
    // Locked after the user or group (src/db/locks.ts): an application delete waits for this assignment, or wins and this is 404.
    availableQuery.orderBy('a.id').forShare('a');
    const available = new Set((await rows<{ id: string }>(em, availableQuery)).map((row) => row.id));
    const missing = applicationIds.find((id) => !available.has(id));
    if (missing) throw new NotFoundError('Application', missing);

    const column = 'userId' in assignee ? 'user_id' : 'group_id';
    const assigneeId = 'userId' in assignee ? assignee.userId : assignee.groupId;
    const now = new Date();
    const inserted = await rows<{ application_id: string }>(
      em,
      knex('app_assignment')
        .insert(
          applicationIds.map((applicationId) => ({
            id: randomUUID(),
            tenant_id: tenantId,
            application_id: applicationId,
            [column]: assigneeId,
            created_at: now,
            updated_at: now,
          })),
        )
        .onConflict(knex.raw(`(application_id, ${column}) where ${column} is not null`))
        .ignore()
        .returning('application_id'),
    );
    for (const { application_id: applicationId } of inserted) {
      recordAudit(em, this.ctx, {
        action: `application.assign_${column === 'user_id' ? 'user' : 'group'}`,
        targetType: 'application',
        targetId: applicationId,
        tenantId,
        diff: { ...assignee },
      });
    }
    await em.flush();
    const found = await em.find(AppAssignmentRow, { applicationId: { $in: applicationIds }, ...assignee }, { orderBy: { createdAt: 'asc' } });
    const byApplication = new Map(found.map((row) => [row.applicationId, row]));
    return applicationIds.map((id) => toAssignment(byApplication.get(id)!));
  }

  private async unassign(em: EntityManager, tenantId: string, assignee: Assignee, applicationId: string): Promise<boolean> {
    const knex = em.getKnex();
    const visible = visibleApplications(knex, this.ctx.viewer).select('a.id').where('a.id', applicationId);
    if (!(await rows(em, visible)).length) throw new NotFoundError('Application', applicationId);
    const removed = await em.nativeDelete(AppAssignmentRow, { tenantId, applicationId, ...assignee });
    if (!removed) throw new NotFoundError('Assignment of application', applicationId);
    recordAudit(em, this.ctx, {
      action: `application.unassign_${'userId' in assignee ? 'user' : 'group'}`,
      targetType: 'application',
      targetId: applicationId,
      tenantId,
      diff: { ...assignee },
    });
    await em.flush();
    return true;
  }
}
