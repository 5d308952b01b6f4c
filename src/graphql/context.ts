import type { EntityManager, Knex, MikroORM } from '@mikro-orm/postgresql';
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

/** What a context makes on first use: one object, shared by the context and Apollo's copies of it. */
interface LazyParts {
  fork: () => EntityManager;
  em?: EntityManager;
  knex?: Knex;
  scope?: RequestScope;
  /** The context the scope is built over (a copy's getters reach the same one). */
  owner: GatewayContext;
}

const LAZY = Symbol('lazy request parts');

/**
 * Made on first use, still once per request: a request that reads no data (`{ __typename }`) forks no
 * EntityManager and builds no services or loaders. The getters sit on the class, not on each context:
 * Apollo hands resolvers a copy (`Object.assign(Object.create(prototype), context)`), which keeps the
 * prototype and copies own properties, `LAZY` included; own getters would be called by that copy. One
 * class also gives every context the same shape, so the engine's property caches stay monomorphic.
 */
class Context implements GatewayContext {
  readonly [LAZY]: LazyParts;

  constructor(
    readonly requestId: string,
    readonly viewer: Viewer,
    readonly stats: StatementStats,
    fork: () => EntityManager,
  ) {
    this[LAZY] = { fork, owner: this };
  }

  get em(): EntityManager {
    const parts = this[LAZY];
    return (parts.em ??= parts.fork());
  }

  get knex(): Knex {
    const parts = this[LAZY];
    return (parts.knex ??= this.em.getKnex());
  }

  get loaders(): Loaders {
    const parts = this[LAZY];
    return (parts.scope ??= createRequestScope(parts.owner)).loaders;
  }

  get services(): Services {
    const parts = this[LAZY];
    return (parts.scope ??= createRequestScope(parts.owner)).services;
  }
}

/** `em`: the request's EntityManager fork, or how to make it when first needed (one per request either way). */
export function createRequestContext(
  orm: MikroORM,
  viewer: Viewer,
  requestId: string,
  stats: StatementStats,
  em: EntityManager | (() => EntityManager) = () => orm.em.fork(),
): GatewayContext {
  return new Context(requestId, viewer, stats, typeof em === 'function' ? em : () => em);
}
