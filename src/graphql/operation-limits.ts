import { GraphQLError, OperationTypeNode, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { ValidationError } from '../common/errors.js';
import { MAX_SEARCH_LENGTH } from '../common/search.js';
import type { RequestCheck } from './apollo-plugins.js';
import { analyzeOperation, CostNodesExceeded, introspectionAllowance, MAX_COST_NODES, type OperationAnalysis } from './cost.js';

/**
 * Limits checked on a parsed, validated operation before it runs, on /graphql and REST alike
 * (REST documents are single pages and stay far below them). Errors carry an HTTP status so that
 * Apollo answers 400, not 500.
 */

/** The schema has no Subscription type; graphql-js would only fail at execution, as a 500. */
export const noSubscriptionsRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation === OperationTypeNode.SUBSCRIPTION) {
      context.reportError(new GraphQLError('Subscriptions are not supported: send queries and mutations over HTTP.', { nodes: [node] }));
    }
  },
});

export interface OperationLimits {
  /** Most an operation may cost (src/graphql/cost.ts). */
  maxCost: number;
}

export function costLimitExceeded(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(`Query cost ${cost} exceeds the maximum cost of ${maxCost}: ask for fewer items per page or nest fewer lists.`, {
    extensions: { code: 'COST_LIMIT_EXCEEDED', cost, maxCost, http: { status: 400 } },
  });
}

/** Variables longer than this (as JSON) are priced afresh each time instead of being remembered. */
const MAX_REMEMBERED_VARIABLES = 512;
/** Analyses remembered per document before its memo starts over (one per distinct small variable set). */
const MAX_ANALYSES_PER_DOCUMENT = 256;
const analysesOf = new WeakMap<DocumentNode, Map<string, OperationAnalysis>>();

/**
 * The operation name and variables as one string, when the variables are plain JSON (as every HTTP
 * request's are) and short; else undefined. `undefined`, NaN or a Date would stringify like a
 * different value and could coerce differently, so they are never remembered.
 */
function memoKeyOf(operationName: string | undefined, variables: Record<string, unknown> | undefined): string | undefined {
  let plain = true;
  let json = '';
  try {
    if (variables) {
      json = JSON.stringify(variables, function (this: unknown, key: string, value: unknown) {
        const raw = key === '' ? value : (this as Record<string, unknown>)[key];
        const prototype = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (Object.getPrototypeOf(raw) as object | null) : null;
        if (raw === undefined || (typeof raw === 'number' && !Number.isFinite(raw)) || (prototype !== null && prototype !== Object.prototype)) plain = false;
        return value;
      });
    }
  } catch {
    return undefined;
  }
  const key = `${operationName ?? ''}\u0000${json}`;
  return plain && key.length <= MAX_REMEMBERED_VARIABLES ? key : undefined;
}

/**
 * analyzeOperation, remembered per parsed document: Apollo's document store hands back the same
 * DocumentNode for the same query text, and the analysis depends on nothing but the schema (one per
 * server), the operation name and the variables. Saves walking the whole document on every request.
 */
function analyzedOnce(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): OperationAnalysis {
  const key = memoKeyOf(operationName, variables);
  if (key === undefined) return analyzeOperation(schema, document, operationName, variables);
  let analyses = analysesOf.get(document);
  let analysis = analyses?.get(key);
  if (analysis) return analysis;
  analysis = analyzeOperation(schema, document, operationName, variables);
  if (!analyses || analyses.size >= MAX_ANALYSES_PER_DOCUMENT) analysesOf.set(document, (analyses = new Map<string, OperationAnalysis>()));
  analyses.set(key, analysis);
  return analysis;
}

export function operationLimitsCheck<C extends object>(limits: OperationLimits): RequestCheck<C> {
  return {
    didResolveOperation({ schema, document, operation, request }) {
      // No operation of that name: Apollo answers OPERATION_RESOLUTION_FAILURE (400) itself.
      if (!operation) return;
      let analysis;
      try {
        analysis = analyzedOnce(schema, document, operation.name?.value, request.variables);
      } catch (error) {
        if (error instanceof CostNodesExceeded) {
          throw new GraphQLError(`The query expands to more than ${MAX_COST_NODES} fields.`, {
            extensions: { code: 'COST_LIMIT_EXCEEDED', maxCost: limits.maxCost, http: { status: 400 } },
          });
        }
        // Variables that do not fit their types: execution reports them (BAD_USER_INPUT) before any resolver runs.
        return;
      }
      if (analysis.longSearches.length) {
        const tooLong = ValidationError.field(['search'], `must be at most ${MAX_SEARCH_LENGTH} characters (${analysis.longSearches.join(', ')})`, 'string_too_long');
        throw new GraphQLError(tooLong.message, { originalError: tooLong, extensions: { http: { status: 400 } } });
      }
      const maxCost = analysis.introspection ? Math.max(limits.maxCost, introspectionAllowance(schema)) : limits.maxCost;
      if (analysis.cost > maxCost) throw costLimitExceeded(analysis.cost, maxCost);
    },
  };
}
