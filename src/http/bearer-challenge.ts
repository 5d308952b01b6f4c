import type { ServerResponse } from 'node:http';
import onHeaders from 'on-headers';
import { headerOf } from '../common/http.js';
import { type HttpRequest, type Next } from './handlers.js';

/**
 * Every 401 of the gateway (REST, the management API, /graphql) carries the bearer challenge of
 * RFC 6750 §3: plain `Bearer` when the request sent no bearer token, `error="invalid_token"` when it
 * sent one that was rejected. One hook on the response, so that each edge only has to say 401.
 * A 401 that already names its challenge (/oauth/token: `Basic`, client authentication) is left as is.
 */
export function bearerChallenge() {
  return (req: HttpRequest, res: ServerResponse, next: Next) => {
    onHeaders(res, function challenge() {
      if (this.statusCode !== 401 || this.getHeader('WWW-Authenticate') !== undefined) return;
      const sentBearer = /^Bearer\s/i.test(headerOf(req, 'authorization') ?? '');
      this.setHeader('WWW-Authenticate', sentBearer ? 'Bearer realm="idgraph", error="invalid_token"' : 'Bearer realm="idgraph"');
    });
    next();
  };
}
