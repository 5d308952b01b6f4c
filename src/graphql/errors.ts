import {
  getNamedType,
  GraphQLBoolean,
  GraphQLError,
  GraphQLFloat,
  GraphQLInt,
  GraphQLString,
  isEnumType,
  isInputObjectType,
  Kind,
  type ASTNode,
  type GraphQLFormattedError,
  type GraphQLInputType,
  type GraphQLNamedType,
  type ValidationRule,
} from 'graphql';
import type { IMiddlewareFunction } from 'graphql-middleware';
import type { RequestCheck } from './apollo-plugins.js';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { AppError, DATABASE_RETRY_AFTER_SECONDS, serviceUnavailableOf, ValidationError } from '../common/errors.js';
import { InvalidIdError } from '../common/scalars.js';

export interface ErrorLogger {
  error(payload: object, message: string): void;
}

/** The input type each literal of a document stands at, for the documents that failed validation (`literalTypesRule`). */
const literalTypes = new WeakMap<ASTNode, GraphQLInputType>();
const LITERAL_KINDS = [Kind.INT, Kind.FLOAT, Kind.STRING, Kind.BOOLEAN, Kind.NULL, Kind.ENUM, Kind.LIST, Kind.OBJECT] as const;

/**
 * Notes the input type at every literal, so that formatError can tell a literal that its type rejects
 * (bad input) from a query that does not fit the schema, by the error's node rather than its wording.
 * Apollo caches validated documents, so this runs once per new document, alongside graphql-js's rules.
 */
export const literalTypesRule: ValidationRule = (context) => {
  const note = (node: ASTNode) => {
    const type = context.getInputType();
    if (type) literalTypes.set(node, type);
  };
  return Object.fromEntries(LITERAL_KINDS.map((kind) => [kind, note]));
};

/** Scalars whose literal errors count as bad input: graphql-js's own (ID is ours, InvalidIdError). */
const INPUT_SCALARS = new Set<GraphQLNamedType>([GraphQLInt, GraphQLFloat, GraphQLString, GraphQLBoolean]);

/**
 * A validation error that is bad input rather than a bad query: a literal its scalar rejects, an unknown
 * enum value, a null where a value is required, a scalar where an input object belongs. The shape of an
 * input object literal (a missing or unknown field), other scalars (DateTime, JSONObject) and an enum
 * given a non-enum literal stay validation failures, as they answered when this was told by message text.
 */
function isBadInputLiteral(error: GraphQLError): boolean {
  if (error.originalError instanceof InvalidIdError) return true;
  const node = error.nodes?.length === 1 ? error.nodes[0] : undefined;
  const type = node && literalTypes.get(node);
  if (!node || !type) return false;
  if (node.kind === Kind.NULL) return true;
  const named = getNamedType(type);
  if (isInputObjectType(named)) return node.kind !== Kind.OBJECT;
  if (isEnumType(named)) return node.kind === Kind.ENUM;
  return INPUT_SCALARS.has(named);
}

/** graphql-js's hints ("Did you mean the enum value GLOBAL?"): they spell out the schema, so production drops them. */
const SUGGESTION = /\s*Did you mean .*$/s;

export interface FormatErrorOptions {
  /** Drop "Did you mean ..." from messages (production, where introspection is off too). */
  hideSuggestions?: boolean;
}

/**
 * The one place errors become GraphQL errors: typed errors keep their code (and field issues),
 * argument coercion failures become BAD_USER_INPUT, errors Apollo raises with a 4xx status but no
 * code (a persisted-query hash that does not match) become BAD_REQUEST, anything unexpected is
 * logged and masked.
 */
export function formatError(logger: ErrorLogger, options: FormatErrorOptions = {}) {
  const format = formatWithCode(logger);
  if (!options.hideSuggestions) return format;
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = format(formatted, error);
    return SUGGESTION.test(result.message) ? { ...result, message: result.message.replace(SUGGESTION, '') } : result;
  };
}

function formatWithCode(logger: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const unwrapped = unwrapResolverError(error);
    // Typed errors raised before execution (src/graphql/operation-limits.ts) come wrapped in a GraphQLError carrying the HTTP status.
    const typed = unwrapped instanceof GraphQLError && unwrapped.originalError instanceof AppError ? unwrapped.originalError : unwrapped;
    // Database trouble surfaces as driver errors; classified once, so resolvers need not catch them.
    const original = typed instanceof AppError ? typed : (serviceUnavailableOf(typed) ?? typed);
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
    if (code === ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED && error instanceof GraphQLError && isBadInputLiteral(error)) {
      return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
    }
    if (isClientErrorWithoutCode(original)) return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
    if (code && code !== (ApolloServerErrorCode.INTERNAL_SERVER_ERROR as string)) return formatted;
    logger.error({ err: original }, 'unexpected error while resolving');
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** A GraphQLError that Apollo raised with a 4xx HTTP status but no code (Apollo then reports INTERNAL_SERVER_ERROR). */
function isClientErrorWithoutCode(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.extensions?.code !== undefined) return false;
  const status = (error.extensions?.http as { status?: number } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Database trouble answers HTTP 503 with Retry-After, not 200 with an error: a load balancer or client
 * then retries instead of treating the answer as final.
 */
export function serviceUnavailableCheck<C extends object>(): RequestCheck<C> {
  return {
    willSendResponse({ response }) {
      if (response.body.kind !== 'single') return;
      const unavailable = response.body.singleResult.errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE');
      if (!unavailable) return;
      response.http.status = 503;
      response.http.headers.set('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    },
  };
}

/**
 * What a failing context function (token lookup) throws to Apollo: 401 for a bad token, 503 with
 * Retry-After while the database does not answer; anything else as is (masked by formatError).
 */
export function contextCreationError(error: unknown): unknown {
  if (error instanceof AppError && error.code === 'UNAUTHENTICATED') {
    return new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
  const unavailable = serviceUnavailableOf(error);
  if (unavailable) {
    return new GraphQLError(unavailable.message, {
      extensions: {
        code: unavailable.code,
        http: { status: 503, headers: new Map([['retry-after', String(unavailable.retryAfterSeconds)]]) },
      },
    });
  }
  return error;
}

/**
 * Root fields (graphql-middleware, inside the permission shield): a driver error that means "database
 * unavailable" becomes a ServiceUnavailableError before graphql-shield sees it. Shield hands resolver
 * errors on as returned values, and an error created outside this realm (a socket error of the pg
 * driver under jest's VM modules) would not be recognised as an error by graphql-js then.
 */
const classifyRootFieldErrors: IMiddlewareFunction = async (resolve, root, args, context, info) => {
  try {
    return (await resolve(root, args, context, info)) as unknown;
  } catch (error) {
    throw serviceUnavailableOf(error) ?? error;
  }
};

export const databaseErrorMiddleware = { Query: classifyRootFieldErrors, Mutation: classifyRootFieldErrors };
