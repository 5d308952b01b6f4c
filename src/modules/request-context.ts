import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer.js';
import type { StatementStats } from '../db/statement-stats.js';

/**
 * The data one request works with: who calls, its own EntityManager fork (and its knex), the request
 * id for audit and logs, and the statement counter. Data only: services and loaders receive it, with
 * their collaborators, from the composition root (src/graphql/request-scope.ts). Nothing here outlives
 * the request, so no cache can leak data between viewers.
 */
export interface RequestContext {
  requestId: string;
  viewer: Viewer;
  em: EntityManager;
  knex: Knex;
  stats: StatementStats;
}
