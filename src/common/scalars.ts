import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { isUuid } from '../common/uuid.js';

/** A malformed id: bad input, whether it came as a literal or a variable (src/graphql/errors.ts). */
export class InvalidIdError extends GraphQLError {}

function parseId(value: unknown): string {
  if (!isUuid(value)) throw new InvalidIdError(`Value is not a valid UUID: ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

/**
 * `ID`, as clients expect to declare it (`query($id: ID!)`), holding a UUID: every id in this API is
 * one, and a malformed id is bad input (BAD_USER_INPUT) before any SQL sees it.
 */
export const IdScalar = new GraphQLScalarType({
  name: 'ID',
  description: 'A UUID.',
  serialize: (value) => String(value),
  parseValue: parseId,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new InvalidIdError('Value is not a valid UUID: expected a string');
    return parseId(ast.value);
  },
});
