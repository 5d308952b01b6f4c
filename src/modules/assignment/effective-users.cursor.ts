import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../../common/errors.js';

/**
 * Opaque cursors of effective-user pages for sync clients: (application, last email, last user id),
 * signed with a server key so that a tampered cursor, or one of another application, is bad input
 * rather than a silently different page. The key comes from the server's JWT secret (shared by every
 * instance, so a cursor stays valid behind a load balancer and across restarts).
 */
export interface CursorPosition {
  email: string;
  userId: string;
}

let cursorKey: Buffer | null = null;

/** Derives the signing key once at start (a separate purpose string: cursors are never tokens). */
export function configureCursorKey(secret: string): void {
  cursorKey = createHmac('sha256', secret).update('idgraph effective-users cursor v1').digest();
}

function sign(payload: string): Buffer {
  if (!cursorKey) throw new Error('cursor key not configured');
  return createHmac('sha256', cursorKey).update(payload).digest().subarray(0, 16);
}

/** The cursor key's signature of a payload under a purpose (other kinds of cursor, e.g. the change feed's). */
export function signCursorPayload(purpose: string, payload: string): Buffer {
  return sign(`${purpose}\n${payload}`);
}

export function encodeCursor(applicationId: string, position: CursorPosition): string {
  const payload = Buffer.from(JSON.stringify([applicationId, position.email, position.userId])).toString('base64url');
  return `${payload}.${sign(payload).toString('base64url')}`;
}

/** The position after which to read; `field` names the argument in the error (GraphQL `after`, REST `cursor`). */
export function decodeCursor(cursor: string, applicationId: string, field = 'after'): CursorPosition {
  const invalid = (message: string) => ValidationError.field([field], message, 'value_error');
  const [payload, signature, ...rest] = cursor.split('.');
  if (!payload || !signature || rest.length) throw invalid('is not a cursor returned by this server');
  const expected = sign(payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('is not a cursor returned by this server');
  const [cursorApplication, email, userId] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as string[];
  if (cursorApplication !== applicationId) throw invalid('belongs to another application');
  return { email, userId };
}
