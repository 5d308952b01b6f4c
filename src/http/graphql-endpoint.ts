import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import { queryStringOf } from '../common/http.js';
import type { RequestContext } from '../graphql/context.js';
import type { Handler, HttpRequest, HttpResponse } from './handlers.js';

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
    const query = queryStringOf(req);
    const request: HTTPGraphQLRequest = { method: (req.method ?? 'GET').toUpperCase(), headers, search: query && `?${query}`, body: req.body };
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
