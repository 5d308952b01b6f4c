import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request header as one string (Node joins repeated ones, but for a few that stay arrays). */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The request's path as the app received it (no query string), before any mount point strips it. */
export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  if (url.startsWith('/')) {
    const query = url.indexOf('?');
    return query === -1 ? url : url.slice(0, query);
  }
  // The absolute form of a request target (`POST http://host/graphql`), as Express reads it.
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/**
 * The request's query string as Express 5 reads it: the target up to a `#` if any, after its first `?`;
 * '' when there is none. With `pathOf`, the one place a request target is split.
 */
export function queryStringOf(req: IncomingMessage): string {
  const url = req.url ?? '';
  const fragment = url.indexOf('#');
  const target = fragment === -1 ? url : url.slice(0, fragment);
  const start = target.indexOf('?');
  return start === -1 ? '' : target.slice(start + 1);
}

/** JSON text as the answer (what Express's `res.status(status).send(json)` sends for it, with no ETag). */
export function sendJsonText(res: ServerResponse, status: number, json: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

/** A JSON answer (what Express's `res.status(status).json(body)` sends, with no ETag). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendJsonText(res, status, JSON.stringify(body));
}
