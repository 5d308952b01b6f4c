import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { TokenVerifier } from '../auth/tokens.js';
import type { Viewer } from '../auth/viewer.js';
import type { StatementStats } from '../db/statement-stats.js';
import { createRequestContext, type RequestContext } from '../graphql/context.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Who called, once the token is verified: for the request log line. */
    viewer?: Viewer;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** X-Request-Id from the caller when it is a sane token, else a new one. */
export function requestIdOf(req: Request): string {
  const given = req.header('x-request-id');
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Per request: verifies the token (throws UNAUTHENTICATED) and builds the context GraphQL and REST share. */
export async function contextForRequest(
  orm: MikroORM,
  verifier: TokenVerifier,
  req: Request,
  requestId: string,
  stats: StatementStats,
): Promise<RequestContext> {
  // One EntityManager fork per request: the token lookup and the request's own queries share it.
  const em = orm.em.fork();
  const viewer = await verifier.viewerFor(req.header('authorization'), em);
  req.viewer = viewer;
  return createRequestContext(orm, viewer, requestId, stats, em);
}
