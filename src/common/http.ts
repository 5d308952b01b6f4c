import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request header as one string (Node joins repeated ones, but for a few that stay arrays). */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
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
