import { Kind, OperationTypeNode, parse, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { RestRoute } from './route.js';

/**
 * What is wrong with a route's document against the schema: syntax, validation, more or less than
 * one query or mutation, a variable the route maps that the operation does not declare, or a
 * required variable (non-null, no default) the route does not map. Empty when the route is sound.
 */
export function routeDocumentProblems(route: RestRoute, schema: GraphQLSchema): string[] {
  let document: DocumentNode;
  try {
    document = parse(route.document);
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
  const invalid = validate(schema, document);
  if (invalid.length) return invalid.map((error) => error.message);
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || operations[0].operation === OperationTypeNode.SUBSCRIPTION) return ['the document must hold exactly one query or mutation'];
  const declared = new Map((operations[0].variableDefinitions ?? []).map((definition) => [definition.variable.name.value, definition]));
  const problems: string[] = [];
  for (const name of Object.keys(route.variables)) {
    if (!declared.has(name)) problems.push(`the route maps $${name}, which the operation does not declare`);
  }
  for (const [name, definition] of declared) {
    if (definition.type.kind === Kind.NON_NULL_TYPE && !definition.defaultValue && !(name in route.variables)) {
      problems.push(`the operation requires $${name}, which the route does not map`);
    }
  }
  return problems;
}

/** Fails at startup, naming each broken route, rather than on the first request that reaches it. */
export function assertRouteDocuments(routes: readonly RestRoute[], schema: GraphQLSchema): void {
  const failures = routes.flatMap((route) => routeDocumentProblems(route, schema).map((problem) => `${route.operationId}: ${problem}`));
  if (failures.length) throw new Error(`REST route documents do not fit the GraphQL schema:\n${failures.join('\n')}`);
}
