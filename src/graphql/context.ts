import type { EntityManager, Knex, MikroORM } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer.js';
import type { StatementStats } from '../db/statement-stats.js';
import { createLoaders, type Loaders } from './loaders.js';
import { createServices, type Services } from './services.js';

/**
 * Everything one request works with: its own EntityManager fork, fresh DataLoaders and the Viewer.
 * Nothing here outlives the request, so no cache can leak data between viewers.
 */
export interface RequestContext {
  requestId: string;
  viewer: Viewer;
  em: EntityManager;
  knex: Knex;
  stats: StatementStats;
  loaders: Loaders;
  services: Services;
}

export function createRequestContext(
  orm: MikroORM,
  viewer: Viewer,
  requestId: string,
  stats: StatementStats,
  em: EntityManager = orm.em.fork(),
): RequestContext {
  // Made on first use, still once per request: a request that reads no data (`{ __typename }`) builds none.
  // The getters sit on a per-request prototype, not on the context itself: Apollo hands resolvers a copy
  // (`Object.assign(Object.create(prototype), context)`), which would call own getters and build both.
  let loaders: Loaders | undefined;
  let services: Services | undefined;
  const lazy = Object.create(Object.prototype, {
    loaders: { get: () => (loaders ??= createLoaders(ctx)) },
    services: { get: () => (services ??= createServices(ctx)) },
  }) as Pick<RequestContext, 'loaders' | 'services'>;
  const ctx: RequestContext = Object.assign(Object.create(lazy) as RequestContext, { requestId, viewer, em, knex: em.getKnex(), stats });
  return ctx;
}
