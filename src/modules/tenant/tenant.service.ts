import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { rights } from '../../auth/rights.js';
import { visibleTenants, type VisibilityOptions } from '../../auth/visibility.js';
import { ConflictError, NotFoundError } from '../../common/errors.js';
import { pageRequest, type Page } from '../../common/paging.js';
import { InputCheck } from '../../common/validate.js';
import { lockedRow, type RowLock } from '../../db/locks.js';
import { fetchPage, rows, uniquely } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import type { PartnerService } from '../partner/partner.service.js';
import type { createTenantLoaders } from './tenant.loaders.js';
import { created, recordAudit } from '../audit/audit.service.js';
import { auditedUpdate } from '../audit/audited-update.js';
import { Tenant } from './tenant.entity.js';
import { TenantFields } from './tenant.fields.js';
import { settingsToStored } from './tenant.settings.js';
import type { CreateTenantInput, TenantListArgs, UpdateTenantInput } from './tenant.types.js';

const SLUG_TAKEN = { tenant_slug_live_uq: 'A tenant with this slug already exists' };
const AUDITED = [...Object.keys(TenantFields), 'partnerId', 'settings'] as (keyof Tenant)[];

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 90)
    .replace(/-+$/g, '');
  return slug || 'tenant';
}

export class TenantService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly loaders: Pick<ReturnType<typeof createTenantLoaders>, 'tenantById'>,
    private readonly partners: Pick<PartnerService, 'getIn'>,
  ) {}

  private visibleQuery(knex: Knex = this.ctx.knex, options: VisibilityOptions = {}): Knex.QueryBuilder {
    return visibleTenants(knex, this.ctx.viewer, options);
  }

  async list(args: TenantListArgs): Promise<Page<Tenant>> {
    const request = pageRequest(args);
    const { em } = this.ctx;
    if (args.includeDeleted) rights.seeDeleted(this.ctx.viewer);
    const base = this.visibleQuery(this.ctx.knex, { includeDeleted: Boolean(args.includeDeleted) });
    if (args.search) {
      const pattern = `%${args.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      base.where((w) => w.whereILike('t.name', pattern).orWhereILike('t.slug', pattern));
    }
    if (args.status) base.where('t.status', args.status);
    if (args.partnerId) base.where('t.partner_id', args.partnerId);
    return fetchPage(em, Tenant, base, 't', [{ column: 't.name' }, { column: 't.id' }], request);
  }

  async get(id: string): Promise<Tenant> {
    const tenant = await this.loaders.tenantById.load(id);
    if (!tenant) throw new NotFoundError('Tenant', id);
    return tenant;
  }

  /** A visible live tenant, locked inside a write transaction: `update` to change it, `share` to create under it (src/db/locks.ts). */
  async findForWrite(em: EntityManager, id: string, lock: RowLock = 'update'): Promise<Tenant> {
    const row = await lockedRow(em, this.visibleQuery(em.getKnex()).where('t.id', id), 't', lock);
    if (!row) throw new NotFoundError('Tenant', id);
    return em.map(Tenant, row);
  }

  async create(input: CreateTenantInput): Promise<Tenant> {
    const { viewer } = this.ctx;
    rights.createTenant(viewer);
    const check = new InputCheck();
    const { name, slug, status } = check.declared(TenantFields, input, true);
    const settings = input.settings ? settingsToStored(input.settings, check) : {};
    check.done();

    const partnerId = input.partnerId ?? (viewer.kind === 'partner_admin' ? viewer.partnerId : null);

    const insert = () =>
      this.ctx.em.transactional(async (em) => {
        // The partner stays live until this tenant is committed: a partner delete waits, then sees it (409).
        if (partnerId) await this.partners.getIn(em, partnerId, 'share');
        rights.createOrDeleteTenant(viewer, partnerId);
        const tenant = em.create(Tenant, {
          name: name!,
          slug: slug ?? (await this.freeSlug(em, slugify(name!))),
          status: status!,
          partnerId,
          settings,
        });
        recordAudit(em, this.ctx, {
          action: 'tenant.create',
          targetType: 'tenant',
          targetId: tenant.id,
          tenantId: tenant.id,
          partnerId,
          diff: created(tenant, AUDITED),
        });
        await uniquely(() => em.flush(), SLUG_TAKEN);
        return tenant;
      });
    // A derived slug may still be taken meanwhile (an explicit slug or a rename): derive again.
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await insert();
      } catch (error) {
        if (slug !== undefined || attempt >= 3 || !(error instanceof ConflictError)) throw error;
      }
    }
  }

  async update(id: string, input: UpdateTenantInput): Promise<Tenant> {
    const check = new InputCheck();
    const values = check.declared(TenantFields, input, false);
    const settings = input.settings ? settingsToStored(input.settings, check) : undefined;
    if (input.settings === null) check.fail('settings', 'must not be null', 'type_error.none.not_allowed');
    check.done();

    return auditedUpdate(this.ctx, {
      load: (em) => this.findForWrite(em, id),
      apply: async (tenant, em) => {
        if (input.partnerId !== undefined && input.partnerId !== tenant.partnerId) {
          rights.moveTenant(this.ctx.viewer);
          if (input.partnerId) await this.partners.getIn(em, input.partnerId, 'share');
        }
        Object.assign(tenant, values);
        if (input.partnerId !== undefined) tenant.partnerId = input.partnerId;
        if (settings) tenant.settings = { ...tenant.settings, ...settings };
      },
      audited: AUDITED,
      event: (tenant) => ({ action: 'tenant.update', targetType: 'tenant', targetId: tenant.id, tenantId: tenant.id, partnerId: tenant.partnerId }),
      conflicts: SLUG_TAKEN,
    });
  }

  /** Soft delete: hides the tenant and, through the visibility filters, everything under it. */
  async delete(id: string): Promise<boolean> {
    return this.ctx.em.transactional(async (em) => {
      const tenant = await this.findForWrite(em, id);
      rights.createOrDeleteTenant(this.ctx.viewer, tenant.partnerId);
      tenant.deletedAt = new Date();
      recordAudit(em, this.ctx, { action: 'tenant.delete', targetType: 'tenant', targetId: tenant.id, tenantId: tenant.id, partnerId: tenant.partnerId });
      await em.flush();
      return true;
    });
  }

  /**
   * Brings back a soft-deleted tenant and, through the visibility filters, everything under it as it
   * was (rows deleted on their own before stay deleted). Same rights as delete. 409 when its partner is deleted, or its slug is taken by a live tenant.
   */
  async restore(id: string): Promise<Tenant> {
    return this.ctx.em.transactional(async (em) => {
      const knex = em.getKnex();
      const [found] = await rows<{ partner_id: string | null }>(em, this.visibleQuery(knex, { includeDeleted: true }).select('t.partner_id').where('t.id', id));
      if (!found) throw new NotFoundError('Tenant', id);
      // Partner before tenant (src/db/locks.ts); it must be live.
      if (found.partner_id) {
        const [partner] = await rows<{ deleted_at: Date | null }>(em, knex('partner').select('deleted_at').where('id', found.partner_id).forShare());
        if (!partner || partner.deleted_at) throw new ConflictError(`Cannot restore: the tenant's partner ${found.partner_id} is deleted`);
      }
      const row = await lockedRow(em, this.visibleQuery(knex, { includeDeleted: true }).where('t.id', id), 't', 'update', { includeDeleted: true });
      if (!row) throw new NotFoundError('Tenant', id);
      const tenant = em.map(Tenant, row);
      rights.createOrDeleteTenant(this.ctx.viewer, tenant.partnerId);
      // Restoring a live row is idempotent: the row as it is, nothing written (a retried restore succeeds).
      if (!tenant.deletedAt) return tenant;
      tenant.deletedAt = null;
      tenant.updatedAt = new Date();
      recordAudit(em, this.ctx, { action: 'tenant.restore', targetType: 'tenant', targetId: id, tenantId: id, partnerId: tenant.partnerId });
      await uniquely(() => em.flush(), { tenant_slug_live_uq: `Cannot restore: a live tenant with the slug "${tenant.slug}" already exists` });
      return tenant;
    });
  }

  /** `base`, or `base-N` with the smallest N not taken by a live tenant. */
  private async freeSlug(em: EntityManager, base: string): Promise<string> {
    const knex = em.getKnex();
    // Creates deriving the same slug take turns (lock held until their transaction ends), so each sees the others' slugs.
    await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`tenant-slug:${base}`]);
    const taken = await rows<{ slug: string }>(
      em,
      knex('tenant')
        .select('slug')
        .whereNull('deleted_at')
        .where((w) => w.where('slug', base).orWhereRaw('slug ~ ?', [`^${base}-[0-9]+$`])),
    );
    const used = new Set(taken.map((r) => r.slug));
    if (!used.has(base)) return base;
    for (let n = 2; ; n += 1) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
  }
}
