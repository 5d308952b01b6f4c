import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer.js';
import type { StatementStats } from '../db/statement-stats.js';
import type { RequestContext } from '../modules/request-context.js';
import { createRequestScope, type Loaders, type RequestScope, type Services } from './request-scope.js';

export type { RequestContext } from '../modules/request-context.js';

/**
 * What resolvers and REST routes receive: the request's data, plus the services and loaders that the
 * composition root built over it. Services and loaders themselves see the data only.
 */
export interface GatewayContext extends RequestContext {
  services: Services;
  loaders: Loaders;
}

export function createRequestContext(orm: MikroORM, viewer: Viewer, requestId: string, stats: StatementStats, em: EntityManager = orm.em.fork()): GatewayContext {
  const data: RequestContext = { requestId, viewer, em, knex: em.getKnex(), stats };
  // Made on first use, still once per request: a request that reads no data (`{ __typename }`) builds none.
  // The getters sit on a per-request prototype, not on the context itself: Apollo hands resolvers a copy
  // (`Object.assign(Object.create(prototype), context)`), which would call own getters and build both.
  let scope: RequestScope | undefined;
  const lazy = Object.create(Object.prototype, {
    loaders: { get: () => (scope ??= createRequestScope(data)).loaders },
    services: { get: () => (scope ??= createRequestScope(data)).services },
  }) as Pick<GatewayContext, 'loaders' | 'services'>;
  return Object.assign(Object.create(lazy) as GatewayContext, data);
}
