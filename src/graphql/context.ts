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

export function createRequestContext(
  orm: MikroORM,
  viewer: Viewer,
  requestId: string,
  stats: StatementStats,
  em: EntityManager = orm.em.fork(),
): GatewayContext {
  const data: RequestContext = { requestId, viewer, em, knex: em.getKnex(), stats };
  // Made on first use, still once per request: a request that reads no data (`{ __typename }`) builds none.
  let scope: RequestScope | undefined;
  const context = { ...data } as GatewayContext;
  Object.defineProperties(context, {
    loaders: { enumerable: true, get: () => (scope ??= createRequestScope(data)).loaders },
    services: { enumerable: true, get: () => (scope ??= createRequestScope(data)).services },
  });
  return context;
}
