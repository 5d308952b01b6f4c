import { visiblePartners, visibleTenants } from '../../auth/visibility.js';
import { rows } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import { byIdLoader, childPages } from '../loader-kit.js';
import { Tenant } from '../tenant/tenant.entity.js';
import { Partner } from './partner.entity.js';
import { entityColumns } from '../../common/paging.js';

export function createPartnerLoaders(ctx: RequestContext) {
  const { em, knex, viewer } = ctx;
  return {
    partnerById: byIdLoader<Partner>(async (ids) => (await rows(em, visiblePartners(knex, viewer).select('p.*').whereIn('p.id', ids))).map((row) => em.map(Partner, row))),
    /** Partner.tenants: the partner's tenants the viewer may see. */
    partnerTenants: childPages<Tenant>(ctx, {
      base: (partnerIds) => visibleTenants(knex, viewer).select('t.*', knex.raw('t.partner_id as parent_key')).whereIn('t.partner_id', partnerIds),
      orderBy: 'b.name, b.id',
      map: (row) => em.map(Tenant, entityColumns(row)),
    }),
  };
}
