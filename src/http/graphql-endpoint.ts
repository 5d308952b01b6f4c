import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import type { RequestListener } from 'node:http';
import type { RequestContext } from '../graphql/context.js';
import { headerOf, runHandlers, type ErrorHandler, type Handler, type HttpRequest, type HttpResponse } from './handlers.js';

/**
 * POST /graphql with Node's request and response: what `@as-integrations/express5` does, but for
 * any request (the Express app's and the fast path's) and answering with `res.end` rather than
 * Express's `res.send`. Needs the body parsed (`req.body`).
 */
export function graphqlHandler(apollo: ApolloServer<RequestContext>, context: (req: HttpRequest, res: HttpResponse) => Promise<RequestContext>): Handler {
  return async (req, res) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const request: HTTPGraphQLRequest = { method: (req.method ?? 'GET').toUpperCase(), headers, search: query === -1 ? '' : url.slice(query), body: req.body };
    const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: () => context(req, res) });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.setHeader('Content-Length', Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

export interface GraphQLFastPath {
  /** What every request runs first in the Express app (request id, log line, metrics, bearer challenge). */
  common: readonly Handler[];
  /** The /graphql handlers of the Express app, in its order. */
  graphql: readonly Handler[];
  /** The Express app's last error handler. */
  onError: ErrorHandler;
  /** Requests that Express must see: with an Origin when CORS is on, with an Idempotency-Key (see below). */
  cors: boolean;
}

/**
 * The server's request listener: `POST /graphql` runs the same handlers as in the Express app, in the
 * same order, without Express's own work per request (prototype swaps on the request and response,
 * router matching against every layer, `res.send`): about a third of the CPU of a small query.
 * Everything else, and the POSTs that need a handler written against Express (an Idempotency-Key,
 * whose middleware answers through Express; an Origin when CORS is on, whose middleware sits in the
 * app), goes to the app.
 */
export function graphqlFastPath(app: RequestListener, fastPath: GraphQLFastPath): RequestListener {
  const handlers = [...fastPath.common, ...fastPath.graphql];
  return (req, res) => {
    if (req.method !== 'POST' || req.url !== '/graphql' || headerOf(req, 'idempotency-key') !== undefined || (fastPath.cors && headerOf(req, 'origin') !== undefined)) {
      app(req, res);
      return;
    }
    const response = res as HttpResponse;
    response.locals = Object.create(null) as Record<string, unknown>;
    runHandlers(handlers, req as HttpRequest, response, fastPath.onError);
  };
}
