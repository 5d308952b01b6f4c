import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, getVariableValues, GraphQLError, valueFromASTUntyped, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** A document's operation compiled, with the literal defaults of its variables (`$perPage: Int! = 100`). */
interface CompiledOperation {
  query: CompiledQuery;
  defaults: [name: string, value: unknown][];
}
/** How an operation is run: counted uses until it is compiled, then its compiled form. */
type OperationState = { uses: number } | { compiled: CompiledOperation };

/** Operations remembered (uses or compiled form), least recently used forgotten first. */
const MAX_OPERATIONS = 1000;
/**
 * Compiling starts only while less than this many milliseconds of the current second went to it.
 * A large document takes 100-250 ms to compile (25 aliases of nested lists, measured), many times
 * one run of it: a flood of distinct heavy documents, each sent twice, then mostly stays on
 * graphql-js instead of taking the event loop (at most this plus one compilation a second).
 */
const COMPILE_MS_PER_SECOND = 100;

/**
 * Runs operations through graphql-jit once they have been used `compileAfter` times before
 * (graphql-js until then). Why: graphql-js walks the selection set and calls a resolver per field
 * on every request; a compiled query is one generated function per operation. A REST page of 50
 * effective users resolves about 450 fields. Compiling costs more than one graphql-js run, so an
 * operation seen once (an ad hoc query, a flood of distinct ones) never pays it.
 *
 * Operations are those of Apollo's parsed and validated documents, the same objects for the same
 * query text while Apollo's document cache holds it. At most MAX_OPERATIONS are remembered, so that
 * distinct documents cannot grow the compiled code without bound.
 *
 * Plugged into Apollo as a gateway, the extension point through which Apollo hands execution to
 * another executor; parsing, validation, plugins and error formatting stay Apollo's.
 */
export function compiledExecutionGateway(schema: GraphQLSchema, compileAfter: number): GatewayInterface {
  const states = new Map<OperationDefinitionNode, OperationState>();
  const budget = { windowStart: 0, spentMs: 0 };
  const withinCompileBudget = () => {
    const now = performance.now();
    if (now - budget.windowStart >= 1000) Object.assign(budget, { windowStart: now, spentMs: 0 });
    return budget.spentMs < COMPILE_MS_PER_SECOND;
  };

  const stateOf = (document: DocumentNode, operation: OperationDefinitionNode): OperationState => {
    let state = states.get(operation);
    if (state) states.delete(operation);
    else if (states.size >= MAX_OPERATIONS) states.delete(states.keys().next().value as OperationDefinitionNode);
    state ??= { uses: 0 };
    if ('uses' in state && state.uses >= compileAfter && withinCompileBudget()) {
      const started = performance.now();
      const query = compileQuery(schema, document, operation.name?.value);
      budget.spentMs += performance.now() - started;
      // A failed compilation (none is known for a validated document) leaves the operation on graphql-js.
      state = isCompiledQuery(query) ? { compiled: { query, defaults: literalDefaultsOf(operation) } } : { uses: -Infinity };
    }
    // Last in the map's order: the most recently used.
    states.set(operation, state);
    return state;
  };

  const executor: GatewayExecutor = async ({ document, operation, request, context }) => {
    // No operation (an unknown operationName): graphql-js answers it as before.
    const state = operation ? stateOf(document, operation) : { uses: 0 };
    if (!('compiled' in state)) {
      state.uses += 1;
      return execute({ schema, document, contextValue: context, variableValues: request.variables, operationName: request.operationName });
    }
    const inputs = request.variables ?? {};
    // Variables are checked by graphql-js first, so that bad ones get its errors (Apollo answers them
    // 400 BAD_USER_INPUT); graphql-jit's coercion then only meets valid values.
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };
    return asGraphQLJsResult(await state.compiled.query.query(undefined, context, withDefaults(inputs, state.compiled.defaults)));
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    load: async () => ({ executor }),
    stop: async () => undefined,
  };
}

function literalDefaultsOf(operation: OperationDefinitionNode): [string, unknown][] {
  return (operation.variableDefinitions ?? []).flatMap((definition) =>
    definition.defaultValue ? [[definition.variable.name.value, valueFromASTUntyped(definition.defaultValue)] as [string, unknown]] : [],
  );
}

/**
 * graphql-jit 0.8.9 refuses a non-null variable with a default that the request leaves out
 * ("was not provided"), which graphql-js accepts: the defaults are filled in as the client would
 * have sent them (literals as JSON: an enum by its name).
 */
function withDefaults(inputs: Record<string, unknown>, defaults: [string, unknown][]): Record<string, unknown> {
  if (defaults.every(([name]) => inputs[name] !== undefined)) return inputs;
  const filled = { ...inputs };
  for (const [name, value] of defaults) if (filled[name] === undefined) filled[name] = value;
  return filled;
}

/**
 * graphql-jit's errors are its own objects (read-only, no `extensions` when the original error has
 * none), which Apollo's error formatting does not expect: rebuilt as graphql-js's, with the same
 * message, locations, path and original error, so that both executors answer the same errors.
 */
function asGraphQLJsResult(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => {
    const rebuilt = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions });
    (rebuilt as { locations?: GraphQLError['locations'] }).locations = error.locations;
    return rebuilt;
  });
  return { ...result, errors };
}
