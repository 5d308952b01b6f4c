import type { RequestListener } from 'node:http';
import { headerOf } from '../common/http.js';
import type { FastRoute } from '../rest/router.js';
import { runHandlers, type ErrorHandler, type Handler, type HttpRequest, type HttpResponse } from './handlers.js';

export interface FastPathHandlers {
  /** What every request runs first in the Express app (request id, log line, metrics, bearer challenge). */
  common: readonly Handler[];
  /** The /graphql handlers of the Express app, in its order. */
  graphql: readonly Handler[];
  /** The REST route a GET without a body goes to, as the Express router would find it (src/rest/router.ts). */
  restRouteOf: (req: HttpRequest) => FastRoute | undefined;
  /** The Express app's last error handler. */
  onError: ErrorHandler;
  /** CORS is configured: requests with an Origin go to the app, where its middleware is. */
  cors: boolean;
}

/**
 * The server's request listener. `POST /graphql` and REST GETs run the same handlers as in the
 * Express app, in the same order, without Express's own work per request: it swaps the prototypes
 * of every request and response (which also slows Node's HTTP code that then sees both kinds), matches
 * the path against each layer of the app and of the router in turn, and builds answers in `res.send`.
 * That was a third of the CPU of `{ __typename }`. Everything else goes to the app: other methods and
 * paths, requests with an Idempotency-Key (its middleware answers through Express), with an Origin
 * when CORS is on, with a body on a GET.
 */
export function fastPath(app: RequestListener, handlers: FastPathHandlers): RequestListener {
  const graphql = [...handlers.common, ...handlers.graphql];
  return (req, res) => {
    const request = req as HttpRequest;
    const response = res as HttpResponse;
    if (handlers.cors && headerOf(req, 'origin') !== undefined) return app(req, res);
    if (req.method === 'POST' && req.url === '/graphql' && headerOf(req, 'idempotency-key') === undefined) {
      response.locals = Object.create(null) as Record<string, unknown>;
      return runHandlers(graphql, request, response, handlers.onError);
    }
    const route = handlers.restRouteOf(request);
    if (route) {
      response.locals = Object.create(null) as Record<string, unknown>;
      return runHandlers([...handlers.common, (rq, rs) => route(rq, rs)], request, response, handlers.onError);
    }
    app(req, res);
  };
}
