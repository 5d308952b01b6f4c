import { createHash } from 'node:crypto';
import type { Request } from 'express';

/**
 * The created resource's path for `Location` (RFC 9110 §10.2.2): `{name}` placeholders from the
 * path parameters first, then from the response payload (`{id}` is the new row's id).
 */
export function locationOf(template: string, pathParams: Record<string, string>, payload: unknown): string {
  const fields = (payload ?? {}) as Record<string, unknown>;
  return template.replace(/\{([a-z_]+)\}/g, (_match, name: string) => {
    const value = pathParams[name] ?? fields[name];
    if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`Location ${template}: no value for {${name}}`);
    return encodeURIComponent(String(value));
  });
}

/**
 * A weak ETag over what the response says about the resource (`data`, and `pagination` for lists),
 * not over `meta`, whose timestamp and request id change on every request. Express answers a
 * matching `If-None-Match` on a GET with 304 (res.send checks `req.fresh` once ETag is set).
 */
export function etagOf(representation: unknown): string {
  return `W/"${createHash('sha256').update(JSON.stringify(representation)).digest('base64url').slice(0, 27)}"`;
}

/**
 * A body-carrying request must say it is JSON: another content type (or none) would otherwise reach
 * validation as a missing body. An empty body is left to the validation (422 "Field required");
 * `req.is` counts `Content-Length: 0` as a body, hence the length check.
 */
export function hasNonJsonBody(req: Request): boolean {
  if (req.header('content-length') === '0') return false;
  return req.is('application/json') === false;
}
