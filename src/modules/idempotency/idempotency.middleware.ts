import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { TokenVerifier } from '../../auth/tokens.js';
import type { Viewer } from '../../auth/viewer.js';
import { IdempotencyStore, type StoredResponse } from './idempotency.store.js';

/**
 * `Idempotency-Key` on REST POST/PUT/PATCH and GraphQL POSTs (IETF httpapi idempotency-key draft,
 * Stripe's behaviour): the same key with the same request replays the first response (status, body,
 * `Idempotent-Replayed: true`) for 24 h; the same key with another request is 422; a key whose first
 * request is still running is 409. Keys are scoped to the caller. A first response that is a 5xx
 * frees the key, so that a retry runs again.
 */

/** How a surface answers a refused key: REST `{detail}`, management `{message, error_code}`, GraphQL `{errors}`. */
export type IdempotencyRefusal = (res: Response, status: 409 | 422, message: string) => void;

/** Printable ASCII, at most 255 characters; an RFC 8941 sf-string (quoted) or a bare token. */
const KEY = /^[\x21-\x7e]{1,255}$/;
/** Response headers that belong to the replayed response. */
const REPLAYED_HEADERS = ['content-type', 'location', 'cache-control', 'etag', 'x-idgraph-consistency'];
const KEYED_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Node's request is enough: the GraphQL fast path (src/http/graphql-endpoint.ts) asks too, and leaves keyed requests to Express. */
export function idempotencyKeyOf(req: Pick<Request, 'headers'>): string | undefined {
  const given = req.headers['idempotency-key'];
  if (given === undefined) return undefined;
  const raw = Array.isArray(given) ? given.join(', ') : given;
  const trimmed = raw.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

/** The caller a key belongs to: the token's identity, not the token itself (a refreshed token keeps its keys). */
function callerOf(viewer: Viewer): string | undefined {
  switch (viewer.kind) {
    case 'anonymous':
      return undefined;
    case 'super_admin':
      return `super_admin:${viewer.subject}`;
    case 'partner_admin':
      return `partner_admin:${viewer.partnerId}:${viewer.subject}`;
    case 'tenant_admin':
      return viewer.applicationId ? `application:${viewer.applicationId}` : `tenant_admin:${viewer.tenantId}:${viewer.subject}`;
    case 'application':
      return `application:${viewer.applicationId}`;
  }
}

/** Method, path with query, and the parsed body in a canonical key order. */
function requestHash(req: Request): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
          )
        : value;
  return createHash('sha256')
    .update(JSON.stringify([req.method, req.originalUrl, canonical(req.body ?? null)]))
    .digest('hex');
}

export interface IdempotencyDeps {
  orm: MikroORM;
  verifier: TokenVerifier;
  store: IdempotencyStore;
}

/** The middleware for one surface; runs after the body is parsed and before the handler. */
export function idempotency(deps: IdempotencyDeps, refuse: IdempotencyRefusal): RequestHandler {
  let requests = 0;
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = idempotencyKeyOf(req);
    if (key === undefined || !KEYED_METHODS.has(req.method)) return next();
    try {
      if (!KEY.test(key)) return refuse(res, 422, 'Idempotency-Key must be 1 to 255 printable ASCII characters');
      const em = deps.orm.em.fork();
      // Unauthenticated requests get their 401 from the handler; they have nobody to scope a key to.
      const caller = callerOf(await deps.verifier.viewerFor(req.header('authorization'), em).catch(() => ({ kind: 'anonymous' }) as const));
      if (!caller) return next();
      if (++requests % 100 === 0) void deps.store.sweep(em).catch(() => undefined);
      const claim = await deps.store.claim(em, caller, key, requestHash(req));
      if (claim.kind === 'mismatch') return refuse(res, 422, 'Idempotency-Key was already used with a different request');
      if (claim.kind === 'running') return refuse(res, 409, 'A request with this Idempotency-Key is still being processed; retry later');
      if (claim.kind === 'replay') return replay(res, claim.response);
      recordFirstResponse(res, (response) => (response.status >= 500 ? deps.store.release(em, caller, key) : deps.store.complete(em, caller, key, response)));
      next();
    } catch (error) {
      next(error);
    }
  };
}

function replay(res: Response, response: StoredResponse): void {
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.setHeader('Idempotent-Replayed', 'true');
  res.end(response.body);
}

/**
 * Holds back the end of the response until it is stored, so that a retry arriving after the client
 * got its answer always finds it.
 */
function recordFirstResponse(res: Response, store: (response: StoredResponse) => Promise<void>): void {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  const collect = (chunk: unknown, encoding?: unknown) => {
    // What res.write and res.end accept: a string (in `encoding`) or bytes; a callback in its place is no chunk.
    if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    collect(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as Response['write'];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    collect(chunk, rest[0]);
    const headers = Object.fromEntries(
      REPLAYED_HEADERS.map((name) => [name, res.getHeader(name)] as const)
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => [name, String(value)] as const),
    );
    const response = { status: res.statusCode, headers, body: Buffer.concat(chunks).toString('utf8') };
    store(response)
      .catch(() => undefined)
      .finally(() => end(chunk, ...rest));
    return res;
  }) as Response['end'];
}
