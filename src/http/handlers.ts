import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Viewer } from '../auth/viewer.js';
import type { StatementStats } from '../db/statement-stats.js';

/**
 * The request and response that the gateway's own handlers need: Node's, plus what `startRequest`
 * and the body parser add. Express's Request and Response are both, so each handler written against
 * these runs in the Express app and in the GraphQL fast path (src/http/graphql-endpoint.ts) alike.
 */
export type HttpRequest = IncomingMessage & {
  requestId: string;
  stats: StatementStats;
  /** Who called, once the token is verified: for the request log line. */
  viewer?: Viewer;
  body?: unknown;
  /** Express's, under a mount point; the fast path mounts nothing, so `url` is the original. */
  originalUrl?: string;
  /** Express's parsed query string; absent in the fast path (POST /graphql without one). */
  query?: Record<string, unknown>;
  route?: unknown;
};
export type HttpResponse = ServerResponse & { locals: Record<string, unknown> };
export type Next = (error?: unknown) => void;
export type Handler = (req: HttpRequest, res: HttpResponse, next: Next) => unknown;
export type ErrorHandler = (error: unknown, req: HttpRequest, res: HttpResponse, next: Next) => unknown;

/**
 * Runs `handlers` in turn as Express would (each calls `next` to go on; `next(error)`, a throw or a
 * rejected promise goes to `onError`). For a request no handler answers, `onError` gets a 404.
 */
export function runHandlers(handlers: readonly Handler[], req: HttpRequest, res: HttpResponse, onError: ErrorHandler): void {
  let index = 0;
  const fail = (error: unknown) => {
    try {
      onError(error, req, res, () => undefined);
    } catch {
      res.destroy();
    }
  };
  const next: Next = (error) => {
    if (error !== undefined && error !== null) return fail(error);
    const handler = handlers[index++];
    if (!handler) return fail(Object.assign(new Error('Not Found'), { status: 404, expose: true }));
    try {
      const result = handler(req, res, next);
      if (result instanceof Promise) result.catch(fail);
    } catch (thrown) {
      fail(thrown);
    }
  };
  next();
}
