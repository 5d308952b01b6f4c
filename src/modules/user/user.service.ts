import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { rights } from '../../auth/rights.js';
import { visibleUsers, type VisibilityOptions } from '../../auth/visibility.js';
import { NotFoundError } from '../../common/errors.js';
import { pageRequest, type Page } from '../../common/paging.js';
import type { FieldValues } from '../../common/fields.js';
import { InputCheck } from '../../common/validate.js';
import { lockedRow, type RowLock } from '../../db/locks.js';
import { uniquely } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import type { createTenantLoaders } from '../tenant/tenant.loaders.js';
import type { TenantService } from '../tenant/tenant.service.js';
import type { createUserLoaders } from './user.loaders.js';
import { created, recordAudit } from '../audit/audit.service.js';
import { auditedUpdate } from '../audit/audited-update.js';
import { User } from './user.entity.js';
import { UserFields } from './user.fields.js';
import type { CreateUserInput, UpdateUserInput, UserListArgs } from './user.types.js';

const EMAIL_TAKEN = { app_user_tenant_email_live_uq: 'A user with this email already exists in this tenant' };
const AUDITED = Object.keys(UserFields) as (keyof User)[];

export class UserService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly loaders: Pick<ReturnType<typeof createTenantLoaders>, 'tenantUsers'> & Pick<ReturnType<typeof createUserLoaders>, 'userById'>,
    private readonly tenants: Pick<TenantService, 'get' | 'findForWrite'>,
  ) {}

  private visibleQuery(knex: Knex = this.ctx.knex, options: VisibilityOptions = {}): Knex.QueryBuilder {
    return visibleUsers(knex, this.ctx.viewer, options);
  }

  async list(tenantId: string, args: UserListArgs): Promise<Page<User>> {
    const request = pageRequest(args);
    await this.tenants.get(tenantId);
    if (args.includeDeleted) rights.seeDeleted(this.ctx.viewer);
    const filter = { search: args.search ?? null, status: args.status ?? null, ...(args.includeDeleted ? { includeDeleted: true } : {}) };
    return this.loaders.tenantUsers.page(tenantId, filter, request);
  }

  async get(tenantId: string, id: string): Promise<User> {
    const user = await this.loaders.userById.load(id);
    if (!user || user.tenantId !== tenantId) throw new NotFoundError('User', id);
    return user;
  }

  /** A visible live user, locked inside a write transaction: `update` to change it, `share` to add it to a group or assign it (src/db/locks.ts). */
  async getIn(em: EntityManager, tenantId: string, id: string, lock: RowLock = 'update'): Promise<User> {
    const row = await lockedRow(em, this.visibleQuery(em.getKnex()).where({ 'u.id': id, 'u.tenant_id': tenantId }), 'u', lock);
    if (!row) throw new NotFoundError('User', id);
    return em.map(User, row);
  }

  async create(tenantId: string, input: CreateUserInput): Promise<User> {
    const check = new InputCheck();
    const values = check.declared(UserFields, input, true) as Required<FieldValues<typeof UserFields>>;
    check.done();
    return this.ctx.em.transactional(async (em) => {
      await this.tenants.findForWrite(em, tenantId, 'share');
      const user = em.create(User, { tenantId, ...values });
      recordAudit(em, this.ctx, { action: 'user.create', targetType: 'user', targetId: user.id, tenantId, diff: created(user, AUDITED) });
      await uniquely(() => em.flush(), EMAIL_TAKEN);
      return user;
    });
  }

  async update(tenantId: string, id: string, input: UpdateUserInput): Promise<User> {
    const check = new InputCheck();
    const values = check.declared(UserFields, input, false);
    check.done();
    return auditedUpdate(this.ctx, {
      load: (em) => this.getIn(em, tenantId, id),
      apply: (user) => {
        Object.assign(user, values);
      },
      audited: AUDITED,
      event: () => ({ action: 'user.update', targetType: 'user', targetId: id, tenantId }),
      conflicts: EMAIL_TAKEN,
    });
  }

  /** Soft delete; memberships and assignments stay (hidden by the live-user joins) for a later restore. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    return this.ctx.em.transactional(async (em) => {
      const user = await this.getIn(em, tenantId, id);
      user.deletedAt = new Date();
      recordAudit(em, this.ctx, { action: 'user.delete', targetType: 'user', targetId: id, tenantId });
      await em.flush();
      return true;
    });
  }

  /**
   * Brings back a soft-deleted user with the memberships and assignments its delete kept. Its tenant
   * must be live and visible (else 404); 409 when its email is taken by a live user.
   */
  async restore(tenantId: string, id: string): Promise<User> {
    return this.ctx.em.transactional(async (em) => {
      await this.tenants.findForWrite(em, tenantId, 'share');
      const query = this.visibleQuery(em.getKnex(), { includeDeleted: true }).where({ 'u.id': id, 'u.tenant_id': tenantId });
      const row = await lockedRow(em, query, 'u', 'update', { includeDeleted: true });
      if (!row) throw new NotFoundError('User', id);
      const user = em.map(User, row);
      // Restoring a live row is idempotent: the row as it is, nothing written (a retried restore succeeds).
      if (!user.deletedAt) return user;
      user.deletedAt = null;
      user.updatedAt = new Date();
      recordAudit(em, this.ctx, { action: 'user.restore', targetType: 'user', targetId: id, tenantId });
      await uniquely(() => em.flush(), {
        app_user_tenant_email_live_uq: `Cannot restore: a live user with the email ${user.email} already exists in this tenant`,
      });
      return user;
    });
  }
}
