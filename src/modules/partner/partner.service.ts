import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { rights } from '../../auth/rights.js';
import { visiblePartners } from '../../auth/visibility.js';
import { ConflictError, NotFoundError } from '../../common/errors.js';
import type { FieldValues } from '../../common/fields.js';
import { pageRequest, toCount, type Page } from '../../common/paging.js';
import { containsPattern } from '../../common/search.js';
import { InputCheck } from '../../common/validate.js';
import { lockedRow, type RowLock } from '../../db/locks.js';
import { fetchPage, rows, uniquely } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import type { createPartnerLoaders } from './partner.loaders.js';
import { created, recordAudit } from '../audit/audit.service.js';
import { auditedUpdate } from '../audit/audited-update.js';
import { Partner } from './partner.entity.js';
import { PartnerFields } from './partner.fields.js';
import type { CreatePartnerInput, PartnerListArgs, UpdatePartnerInput } from './partner.types.js';

const AUDITED = Object.keys(PartnerFields) as (keyof Partner)[];
const NAME_TAKEN = { partner_name_live_uq: 'A partner with this name already exists' };

export class PartnerService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly loaders: Pick<ReturnType<typeof createPartnerLoaders>, 'partnerById'>,
  ) {}

  private visibleQuery(knex: Knex = this.ctx.knex): Knex.QueryBuilder {
    return visiblePartners(knex, this.ctx.viewer);
  }

  async list(args: PartnerListArgs): Promise<Page<Partner>> {
    const request = pageRequest(args);
    const { em } = this.ctx;
    const base = this.visibleQuery();
    if (args.search) base.whereILike('p.name', containsPattern(args.search));
    return fetchPage(em, Partner, base, 'p', [{ column: 'p.name' }, { column: 'p.id' }], request);
  }

  async get(id: string): Promise<Partner> {
    const partner = await this.loaders.partnerById.load(id);
    if (!partner) throw new NotFoundError('Partner', id);
    return partner;
  }

  /** A visible live partner, locked inside a write transaction (`share` to rely on it, `update` to change it; src/db/locks.ts). */
  async getIn(em: EntityManager, id: string, lock: RowLock = 'update'): Promise<Partner> {
    const row = await lockedRow(em, this.visibleQuery(em.getKnex()).where('p.id', id), 'p', lock);
    if (!row) throw new NotFoundError('Partner', id);
    return em.map(Partner, row);
  }

  async create(input: CreatePartnerInput): Promise<Partner> {
    rights.createPartner(this.ctx.viewer);
    const check = new InputCheck();
    const values = check.declared(PartnerFields, input, true) as Required<FieldValues<typeof PartnerFields>>;
    check.done();
    return this.ctx.em.transactional(async (em) => {
      const partner = em.create(Partner, { ...values });
      recordAudit(em, this.ctx, { action: 'partner.create', targetType: 'partner', targetId: partner.id, partnerId: partner.id, diff: created(partner, AUDITED) });
      await uniquely(() => em.flush(), NAME_TAKEN);
      return partner;
    });
  }

  async update(id: string, input: UpdatePartnerInput): Promise<Partner> {
    const check = new InputCheck();
    const values = check.declared(PartnerFields, input, false);
    check.done();
    return auditedUpdate(this.ctx, {
      load: async (em) => {
        const partner = await this.getIn(em, id, 'update');
        rights.writePartner(this.ctx.viewer);
        return partner;
      },
      apply: (partner) => {
        Object.assign(partner, values);
      },
      audited: AUDITED,
      event: (partner) => ({ action: 'partner.update', targetType: 'partner', targetId: partner.id, partnerId: partner.id }),
      conflicts: NAME_TAKEN,
    });
  }

  /** Soft delete; refused while the partner still has live tenants (SPEC §1). */
  async delete(id: string): Promise<boolean> {
    return this.ctx.em.transactional(async (em) => {
      // Locked first: a tenant create holding the partner FOR SHARE has committed by now, and is counted.
      const partner = await this.getIn(em, id, 'update');
      rights.writePartner(this.ctx.viewer);
      const [live] = await rows(em, em.getKnex()('tenant').count({ total: '*' }).where('partner_id', id).whereNull('deleted_at'));
      if (toCount(live?.total) > 0) throw new ConflictError('Partner still has live tenants; delete or move them first');
      partner.deletedAt = new Date();
      recordAudit(em, this.ctx, { action: 'partner.delete', targetType: 'partner', targetId: partner.id, partnerId: partner.id });
      await em.flush();
      return true;
    });
  }
}
