import express from 'express';
import type { Handler, HttpRequest } from './handlers.js';

/** Content types read here; any other spelling (another charset, parameters) goes to express.json. */
const PLAIN_JSON = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);

/** A client error as body-parser raises them (http-errors): the error handler answers it with its message. */
function bodyError(status: number, message: string, type: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, expose: true, type });
}

/**
 * The GraphQL endpoint's JSON body parser (strict: an object or an array). The common request — no
 * Content-Encoding, UTF-8 JSON, a Content-Length within `limitBytes` — is read here in one pass;
 * body-parser's own work per request (content type and charset parsing, an iconv decoder, five stream
 * listeners) was 0.23 M of the 1.98 M instructions of `{ __typename }`. Every other request (compressed,
 * chunked, another charset, over the limit: 413 before a byte is read) goes to express.json with the
 * same limit, so those answers stay body-parser's. Errors go to `next` in body-parser's shape (status,
 * `expose`), which the error handler answers in the surface's error format.
 */
export function jsonBody(limitBytes: number): Handler {
  const fallback = express.json({ limit: limitBytes }) as unknown as Handler;
  return (req, res, next) => {
    const length = Number(req.headers['content-length']);
    const encoding = req.headers['content-encoding'];
    const type = req.headers['content-type']?.toLowerCase();
    const plain =
      (encoding === undefined || encoding === 'identity') &&
      req.headers['transfer-encoding'] === undefined &&
      Number.isInteger(length) &&
      length <= limitBytes &&
      type !== undefined &&
      PLAIN_JSON.has(type);
    if (!plain) return fallback(req, res, next);
    readJson(req, next);
  };
}

function readJson(req: HttpRequest, next: (error?: unknown) => void): void {
  const chunks: Buffer[] = [];
  let received = 0;
  // Every listener goes before `next`: nothing of this request's stream calls back afterwards.
  const finish = (error?: unknown) => {
    req.removeListener('data', onData);
    req.removeListener('end', onEnd);
    req.removeListener('error', onAborted);
    req.removeListener('close', onAborted);
    next(error);
  };
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    received += chunk.length;
  };
  // Node's parser ends the body at Content-Length: an error or a close before the end means the client
  // went away (or the server destroyed the request); nothing is left waiting either way.
  const onAborted = () => finish(bodyError(400, 'request aborted', 'request.aborted'));
  const onEnd = () => {
    let text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received)).toString('utf8');
    // A byte order mark, which body-parser's decoder drops too.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    try {
      // An empty body is `{}`, as body-parser has it (Apollo then asks for a query).
      const body: unknown = text.length === 0 ? {} : JSON.parse(text);
      if (typeof body !== 'object' || body === null) return finish(bodyError(400, 'the request body must be a JSON object or array', 'entity.parse.failed'));
      req.body = body;
    } catch (error) {
      return finish(bodyError(400, (error as Error).message, 'entity.parse.failed'));
    }
    finish();
  };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onAborted);
  req.on('close', onAborted);
}
