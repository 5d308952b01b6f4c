import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, OperationTypeNode, type ValidationRule } from 'graphql';
import { ValidationError } from '../common/errors.js';
import { MAX_SEARCH_LENGTH } from '../common/search.js';
import { analyzeOperation, CostNodesExceeded, introspectionAllowance, MAX_COST_NODES } from './cost.js';

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

export function operationLimitsPlugin<C extends object>(limits: OperationLimits): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          // No operation of that name: Apollo answers OPERATION_RESOLUTION_FAILURE (400) itself.
          if (!operation) return;
          let analysis;
          try {
            analysis = analyzeOperation(schema, document, operation.name?.value, request.variables);
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
    },
  };
}
