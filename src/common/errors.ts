/**
 * Typed errors with stable codes. Services throw these; the edges map them once:
 * GraphQL puts `code` in `extensions.code`, REST maps the code to an HTTP status (src/rest/status.ts).
 */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT';

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
