import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError, ValidationError } from '../common/errors.js';

export interface ErrorLogger {
  error(payload: object, message: string): void;
}

/** Messages of graphql-js argument/variable coercion failures: bad input, not bad queries. */
const INPUT_PROBLEM = /Expected value of type|Expected type|got invalid value|does not exist in ".*" enum|is not a valid|Value is not a valid|Int cannot represent|String cannot represent|Boolean cannot represent|Float cannot represent|ID cannot represent/;

/**
 * The one place errors become GraphQL errors: typed errors keep their code (and field issues),
 * argument coercion failures become BAD_USER_INPUT, anything unexpected is logged and masked.
 */
export function formatError(logger: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof AppError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: {
          code: original.code,
          ...(original instanceof ValidationError ? { fields: original.issues } : {}),
        },
      };
    }
    const code = formatted.extensions?.code as string | undefined;
    if (code === 'GRAPHQL_VALIDATION_FAILED' && INPUT_PROBLEM.test(formatted.message)) {
      return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
    }
    if (code && code !== 'INTERNAL_SERVER_ERROR') return formatted;
    logger.error({ err: original }, 'unexpected error while resolving');
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
