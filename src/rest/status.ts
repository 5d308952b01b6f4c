import type { ErrorCode } from '../common/errors.js';

/** The one table from error codes (GraphQL `extensions.code`, AppError.code) to HTTP statuses. */
export const HTTP_STATUS_OF_CODE: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 422,
  CONFLICT: 409,
  SERVICE_UNAVAILABLE: 503,
  GONE: 410,
};

export function httpStatusOf(code: string | undefined): number {
  return (code && HTTP_STATUS_OF_CODE[code as ErrorCode]) || 500;
}
