import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { rights } from '../../auth/rights.js';
import { visibleGroups, type VisibilityOptions } from '../../auth/visibility.js';
import { NotFoundError } from '../../common/errors.js';
import type { FieldValues } from '../../common/fields.js';
import { pageRequest, type Page, type PageArgs } from '../../common/paging.js';
import { InputCheck } from '../../common/validate.js';
import { lockedRow, type RowLock } from '../../db/locks.js';
import { rows, uniquely } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import type { createTenantLoaders } from '../tenant/tenant.loaders.js';
import type { TenantService } from '../tenant/tenant.service.js';
import type { UserService } from '../user/user.service.js';
import type { createGroupLoaders } from './group.loaders.js';
import { created, recordAudit } from '../audit/audit.service.js';
import { auditedUpdate } from '../audit/audited-update.js';
import type { User } from '../user/user.entity.js';
import { Group, GroupMember } from './group.entity.js';
import { GroupFields } from './group.fields.js';
import type { CreateGroupInput, GroupListArgs, UpdateGroupInput } from './group.types.js';

const NAME_TAKEN = { user_group_tenant_name_live_uq: 'A group with this name already exists in this tenant' };
const AUDITED = Object.keys(GroupFields) as (keyof Group)[];

export class GroupService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly loaders: Pick<ReturnType<typeof createTenantLoaders>, 'tenantGroups'> & Pick<ReturnType<typeof createGroupLoaders>, 'groupById' | 'groupMembers'>,
    private readonly tenants: Pick<TenantService, 'get' | 'findForWrite'>,
    private readonly users: Pick<UserService, 'getIn'>,
  ) {}

  private visibleQuery(knex: Knex = this.ctx.knex, options: VisibilityOptions = {}): Knex.QueryBuilder {
    return visibleGroups(knex, this.ctx.viewer, options);
  }

  async list(tenantId: string, args: GroupListArgs): Promise<Page<Group>> {
    const request = pageRequest(args);
    await this.tenants.get(tenantId);
    if (args.includeDeleted) rights.seeDeleted(this.ctx.viewer);
    return this.loaders.tenantGroups.page(tenantId, { search: args.search ?? null, ...(args.includeDeleted ? { includeDeleted: true } : {}) }, request);
  }

  async get(tenantId: string, id: string): Promise<Group> {
    const group = await this.loaders.groupById.load(id);
    if (!group || group.tenantId !== tenantId) throw new NotFoundError('Group', id);
    return group;
  }

  /** A visible live group, locked inside a write transaction: `update` to change it, `share` to change its members or assignments (src/db/locks.ts). */
  async getIn(em: EntityManager, tenantId: string, id: string, lock: RowLock = 'update'): Promise<Group> {
    const row = await lockedRow(em, this.visibleQuery(em.getKnex()).where({ 'g.id': id, 'g.tenant_id': tenantId }), 'g', lock);
    if (!row) throw new NotFoundError('Group', id);
    return em.map(Group, row);
  }

  async create(tenantId: string, input: CreateGroupInput): Promise<Group> {
    const check = new InputCheck();
    const values = check.declared(GroupFields, input, true) as Required<FieldValues<typeof GroupFields>>;
    check.done();
    return this.ctx.em.transactional(async (em) => {
      await this.tenants.findForWrite(em, tenantId, 'share');
      const group = em.create(Group, { tenantId, ...values });
      recordAudit(em, this.ctx, { action: 'group.create', targetType: 'group', targetId: group.id, tenantId, diff: created(group, AUDITED) });
      await uniquely(() => em.flush(), NAME_TAKEN);
      return group;
    });
  }

  async update(tenantId: string, id: string, input: UpdateGroupInput): Promise<Group> {
    const check = new InputCheck();
    const values = check.declared(GroupFields, input, false);
    check.done();
    return auditedUpdate(this.ctx, {
      load: (em) => this.getIn(em, tenantId, id),
      apply: (group) => {
        Object.assign(group, values);
      },
      audited: AUDITED,
      event: () => ({ action: 'group.update', targetType: 'group', targetId: id, tenantId }),
      conflicts: NAME_TAKEN,
    });
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    return this.ctx.em.transactional(async (em) => {
      const group = await this.getIn(em, tenantId, id);
      group.deletedAt = new Date();
      recordAudit(em, this.ctx, { action: 'group.delete', targetType: 'group', targetId: id, tenantId });
      await em.flush();
      return true;
    });
  }

  /**
   * Brings back a soft-deleted group with its kept members and assignments. Its tenant must be live
   * and visible (else 404); 409 when its name is taken by a live group.
   */
  async restore(tenantId: string, id: string): Promise<Group> {
    return this.ctx.em.transactional(async (em) => {
      await this.tenants.findForWrite(em, tenantId, 'share');
      const query = this.visibleQuery(em.getKnex(), { includeDeleted: true }).where({ 'g.id': id, 'g.tenant_id': tenantId });
      const row = await lockedRow(em, query, 'g', 'update', { includeDeleted: true });
      if (!row) throw new NotFoundError('Group', id);
      const group = em.map(Group, row);
      // Restoring a live row is idempotent: the row as it is, nothing written (a retried restore succeeds).
      if (!group.deletedAt) return group;
      group.deletedAt = null;
      group.updatedAt = new Date();
      recordAudit(em, this.ctx, { action: 'group.restore', targetType: 'group', targetId: id, tenantId });
      await uniquely(() => em.flush(), {
        user_group_tenant_name_live_uq: `Cannot restore: a live group named "${group.name}" already exists in this tenant`,
      });
      return group;
    });
  }

  async members(tenantId: string, groupId: string, args: PageArgs): Promise<Page<User>> {
    const request = pageRequest(args);
    await this.get(tenantId, groupId);
    return this.loaders.groupMembers.page(groupId, null, request);
  }

  /** Idempotent: adding a member twice keeps one membership. */
  async addMember(tenantId: string, groupId: string, userId: string): Promise<User> {
    return this.ctx.em.transactional(async (em) => {
      // Group before user (src/db/locks.ts); a delete of either waits for this membership, or wins and this is 404.
      await this.getIn(em, tenantId, groupId, 'share');
      const user = await this.users.getIn(em, tenantId, userId, 'share');
      const inserted = await rows(
        em,
        em
          .getKnex()('group_member')
          .insert({ group_id: groupId, user_id: userId, tenant_id: tenantId, created_at: new Date() })
          .onConflict(['group_id', 'user_id'])
          .ignore()
          .returning('user_id'),
      );
      if (inserted.length) {
        recordAudit(em, this.ctx, { action: 'group.add_member', targetType: 'group', targetId: groupId, tenantId, diff: { userId } });
        await em.flush();
      }
      return user;
    });
  }

  async removeMember(tenantId: string, groupId: string, userId: string): Promise<boolean> {
    return this.ctx.em.transactional(async (em) => {
      await this.getIn(em, tenantId, groupId, 'share');
      const removed = await em.nativeDelete(GroupMember, { groupId, userId, tenantId });
      if (!removed) throw new NotFoundError('Group member', userId);
      recordAudit(em, this.ctx, { action: 'group.remove_member', targetType: 'group', targetId: groupId, tenantId, diff: { userId } });
      await em.flush();
      return true;
    });
  }
}
