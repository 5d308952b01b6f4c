import express from 'express';
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { sendJson } from '../common/http.js';
import { type ErrorHandler, type Handler, type HttpRequest } from './handlers.js';

/**
 * The last handlers of the app, so that Express's default handlers (HTML pages, stack traces and
 * file paths outside production) never answer: a JSON 404 for unknown paths and a JSON answer for
 * anything passed to `next(error)` — a bad `%` escape in a path, a malformed, oversized or
 * wrongly encoded body. Each surface keeps its own error shape.
 */

type Surface = 'graphql' | 'management' | 'api';

function surfaceOf(req: HttpRequest): Surface {
  const path = (req.originalUrl ?? req.url ?? '/').split('?')[0];
  if (path === '/graphql' || path.startsWith('/graphql/')) return 'graphql';
  if (path === '/v1/management' || path.startsWith('/v1/management/')) return 'management';
  return 'api';
}

/** `extensions.code` of a request-level GraphQL error, as Apollo names its own (BAD_REQUEST). */
function graphqlCodeOf(status: number): string {
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 404) return 'NOT_FOUND';
  if (status >= 500) return 'INTERNAL_SERVER_ERROR';
  return 'BAD_REQUEST';
}

/** Sends one error in the shape of the request's surface. */
export function sendJsonError(req: HttpRequest, res: ServerResponse, status: number, message: string): void {
  switch (surfaceOf(req)) {
    case 'graphql':
      sendJson(res, status, { errors: [{ message, extensions: { code: graphqlCodeOf(status) } }] });
      return;
    case 'management':
      sendJson(res, status, { message, error_code: status });
      return;
    case 'api':
      sendJson(res, status, { detail: message });
  }
}

/** Unknown paths: `{detail: "Not Found"}` (REST paths under /api/v1 and /v1/management answer their own 404 first). */
export function jsonNotFound(): Handler {
  return (req, res) => sendJsonError(req, res, 404, 'Not Found');
}

/**
 * Errors that reached the end of the chain. Client errors (http-errors from the body parser or
 * the router, `expose: true`) keep their message; anything else is logged and answered 500
 * without details.
 */
export function jsonErrorHandler(logger: Logger): ErrorHandler {
  // Four parameters: Express tells error handlers by their arity.
  return (error, req, res, _next) => {
    const { status: given, statusCode, expose, message } = (error ?? {}) as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
    const raw = typeof given === 'number' ? given : typeof statusCode === 'number' ? statusCode : 500;
    const status = raw >= 400 && raw < 600 ? raw : 500;
    if (status >= 500) logger.error({ err: error, reqId: req.requestId }, 'request failed');
    if (res.headersSent) {
      // Part of an answer is out: nothing coherent can follow it.
      req.socket?.destroy();
      return;
    }
    const clientMessage = status < 500 && expose !== false && typeof message === 'string' && message ? message : status < 500 ? 'Bad Request' : 'Internal server error';
    sendJsonError(req, res, status, clientMessage);
  };
}

/** Express's `req.is`, which reads only Node's request: the same test in the Express app and the fast path. */
const isJson = (req: HttpRequest): boolean => Boolean(express.request.is.call(req, 'application/json'));

/**
 * POST /graphql without a JSON body (another content type, or none), which the JSON parser leaves
 * unread: a GraphQL-shaped 400 rather than Apollo's plain-text 500. `req.is` is false without a body.
 */
export function requireGraphQLJsonBody(): Handler {
  return (req, res, next) => {
    if (req.method === 'POST' && !isJson(req)) {
      sendJsonError(req, res, 400, 'POST /graphql needs a JSON body (content-type: application/json)');
      return;
    }
    next();
  };
}
