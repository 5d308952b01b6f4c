/**
 * Typed errors with stable codes. Services throw these; the edges map them once:
 * GraphQL puts `code` in `extensions.code`, REST maps the code to an HTTP status (src/rest/status.ts).
 */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'SERVICE_UNAVAILABLE' | 'GONE';

export interface FieldIssue {
  /** Path of the offending input field, in GraphQL argument terms, e.g. ['input', 'settings', 'sessionTimeout']. */
  path: (string | number)[];
  message: string;
  /** Machine-readable kind, e.g. 'value_error', 'missing', 'enum', 'uuid_parsing'. */
  type: string;
}

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED' as const;
  constructor(message = 'Not authenticated') {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN' as const;
  constructor(message = 'Not allowed to perform this operation') {
    super(message);
  }
}

export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND' as const;
  constructor(resource: string, id?: string) {
    super(id ? `${resource} ${id} not found` : `${resource} not found`);
  }
}

export class ConflictError extends AppError {
  readonly code = 'CONFLICT' as const;
}

export class ValidationError extends AppError {
  readonly code = 'BAD_USER_INPUT' as const;
  constructor(public readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') || 'Invalid input');
  }

  static field(path: (string | number)[], message: string, type = 'value_error'): ValidationError {
    return new ValidationError([{ path, message, type }]);
  }
}

/** A position that is no longer kept (a change-feed cursor older than the retention): the client must start over (HTTP 410). */
export class GoneError extends AppError {
  readonly code = 'GONE' as const;
}

/** Seconds a client is asked to wait (`Retry-After`) when the database does not answer. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The database does not answer (down, unreachable, pool exhausted, statement timeout): retry later (HTTP 503). */
export class ServiceUnavailableError extends AppError {
  readonly code = 'SERVICE_UNAVAILABLE' as const;
  constructor(
    message = 'The database is unavailable; retry later',
    public readonly retryAfterSeconds = DATABASE_RETRY_AFTER_SECONDS,
  ) {
    super(message);
  }
}

/**
 * Codes that src/db/driver-errors.ts gives the driver errors that come without one: no connection could
 * be had (knex's pool timeout or closed pool, pg's connect timeout), or a statement got no answer (the
 * connection was lost, pg's client-side read timeout, PGlite closed).
 */
export const NO_CONNECTION_CODE = 'IDGRAPH_DB_NO_CONNECTION';
export const NO_ANSWER_CODE = 'IDGRAPH_DB_NO_ANSWER';

/** Socket errors of a connection that is refused, reset or cannot be routed. */
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/**
 * PostgreSQL SQLSTATEs of a server that is not there for us: class 08 (connection exception), 57P01..57P05
 * (admin or crash shutdown, cannot connect now, database dropped, idle session timeout).
 */
const UNREACHABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1-5])$/;
/** SQLSTATEs of a server that is there but cannot serve this now: 53300 too_many_connections, 57014 query_canceled (statement_timeout). */
const BUSY_SQLSTATES = new Set(['53300', '57014']);

/**
 * What a driver error says about the database, by its code alone: `unreachable` (no connection, or no
 * answer on it), `busy` (it answered "not now"), or undefined for anything else (a bad query, a
 * constraint, a bug). MikroORM copies the driver's `code` onto its DriverException, so wrapped and raw
 * errors classify alike; the error's `cause` chain is followed.
 */
export function databaseTroubleOf(error: unknown): 'unreachable' | 'busy' | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code } = current as { code?: unknown };
    if (typeof code !== 'string') continue;
    if (NETWORK_ERROR_CODES.has(code) || UNREACHABLE_SQLSTATE.test(code) || code === NO_CONNECTION_CODE || code === NO_ANSWER_CODE) return 'unreachable';
    if (BUSY_SQLSTATES.has(code)) return 'busy';
  }
  return undefined;
}

/**
 * The one place driver errors become "unavailable": a ServiceUnavailableError when the error (or its
 * cause) is one already, or says the database is unreachable or busy, else undefined. The edges call
 * this and answer 503 with Retry-After; nothing of the original (addresses, SQL) reaches the client.
 */
export function serviceUnavailableOf(error: unknown): ServiceUnavailableError | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (current instanceof ServiceUnavailableError) return current;
  }
  return databaseTroubleOf(error) ? new ServiceUnavailableError() : undefined;
}
