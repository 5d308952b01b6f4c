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

/** Socket errors of a connection that is refused, reset or cannot be routed. */
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/**
 * PostgreSQL SQLSTATEs meaning "not now": class 08 (connection exception), 53300 too_many_connections,
 * 57014 query_canceled (statement_timeout), 57P01..57P05 (shutdown, cannot connect now, idle session timeout).
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|53300|57014|57P0[1-5])$/;
/** Messages of pg ("timeout expired": connectionTimeoutMillis), knex's pool, and PGlite when the connection is gone or never came. */
const UNAVAILABLE_MESSAGE =
  /Timeout acquiring a connection|timeout expired|Unable to acquire a connection|Connection terminated|Query read timeout|not queryable|PGlite is closed|connection is closed/i;

/**
 * The one place driver errors are classified: a ServiceUnavailableError when the error (or its cause)
 * says the database does not answer, else undefined. MikroORM copies the driver's `code` onto its
 * DriverException, so wrapped and raw errors classify alike. The edges call this and answer 503 with
 * Retry-After; nothing of the original (addresses, SQL) reaches the client.
 */
export function serviceUnavailableOf(error: unknown): ServiceUnavailableError | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (current instanceof ServiceUnavailableError) return current;
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return new ServiceUnavailableError();
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return new ServiceUnavailableError();
  }
  return undefined;
}
