import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { TokenVerifier } from '../auth/tokens.js';
import { isLsn, ReadRoute, setReadRoute, type ReplicaSet } from '../db/replicas.js';
import type { Viewer } from '../auth/viewer.js';
import type { StatementStats } from '../db/statement-stats.js';
import { createRequestContext, type RequestContext } from '../graphql/context.js';
import { headerOf } from '../common/http.js';
import { type HttpRequest, type Next } from './handlers.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Who called, once the token is verified: for the request log line. */
    viewer?: Viewer;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** X-Request-Id from the caller when it is a sane token, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = headerOf(req, 'x-request-id');
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/** First of every request: its id (echoed in `X-Request-Id`) and its SQL statement count. */
export function startRequest(req: HttpRequest, res: ServerResponse, next: Next): void {
  req.requestId = requestIdOf(req);
  req.stats = { statements: 0 };
  res.setHeader('X-Request-Id', req.requestId);
  next();
}

/** Per request: verifies the token (throws UNAUTHENTICATED) and builds the context GraphQL and REST share. */
export async function contextForRequest(
  orm: MikroORM,
  verifier: TokenVerifier,
  req: HttpRequest,
  requestId: string,
  stats: StatementStats,
  replicas?: ReplicaSet,
): Promise<RequestContext> {
  // One EntityManager fork per request, made when first needed (a super admin's `{ __typename }` needs
  // none): the token lookup and the request's own queries share it.
  let em: EntityManager | undefined;
  const fork = (): EntityManager => {
    if (em) return em;
    em = orm.em.fork();
    if (replicas) setReadRoute(em, readRouteFor(req, replicas));
    return em;
  };
  const viewer = await verifier.viewerFor(headerOf(req, 'authorization'), fork);
  req.viewer = viewer;
  return createRequestContext(orm, viewer, requestId, stats, fork);
}

/** The request header carrying the WAL position of the client's last write (read-your-writes). */
export const CONSISTENCY_HEADER = 'x-idgraph-consistency';

/**
 * Reads of a request that names its last write go to a replica only once it has replayed past it; a
 * header that is not a WAL position reads from the primary (never stale); no header accepts the
 * configured lag.
 */
function readRouteFor(req: IncomingMessage, replicas: ReplicaSet): ReadRoute {
  const given = headerOf(req, CONSISTENCY_HEADER);
  const route = new ReadRoute(replicas, isLsn(given) ? given : undefined);
  if (given !== undefined && !isLsn(given)) route.primaryOnly = true;
  return route;
}
