import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Int } from 'type-graphql';
import type { AnyRule } from './fields.js';

type InputClass = abstract new () => object;
/** What `Field()` takes as its type (type-graphql does not export the name). */
type TypeThunk = NonNullable<Parameters<typeof Field>[0]> & ((...args: never[]) => unknown);

/** The input class of each nested declaration (declareInputObject), for the object fields that hold it. */
const inputObjects = new WeakMap<Record<string, AnyRule>, InputClass>();

function graphqlType(rule: AnyRule | 'string'): TypeThunk {
  if (rule === 'string') return () => String;
  switch (rule.kind) {
    case 'enum':
      return () => rule.enumObject;
    case 'int':
      return () => Int;
    case 'bool':
      return () => Boolean;
    case 'list': {
      const item = graphqlType(rule.items);
      return () => [item()];
    }
    case 'object':
      // Looked up when the schema is built: the nested class may be declared after its parent's module loads.
      return () => {
        const nested = inputObjects.get(rule.fields);
        if (!nested) throw new Error('an object field whose fields no declareInputObject class holds');
        return nested;
      };
    case 'json':
      return () => GraphQLJSONObject;
    case 'text':
      return () => String;
  }
}

/**
 * Adds the GraphQL fields of a module's declared fields (src/common/fields.ts) to an input class, in
 * declaration order. On create a required field is non-null and the others are nullable with the
 * declared default; on update every field is nullable, without default (absent: unchanged).
 */
export function declareInputFields(target: InputClass, fields: Record<string, AnyRule>, mode: 'create' | 'update'): void {
  for (const [name, rule] of Object.entries(fields)) {
    if (rule.only && rule.only !== mode) continue;
    const required = mode === 'create' && rule.required;
    const defaultValue = mode === 'create' && !required && rule.graphqlDefault !== false ? rule.default : undefined;
    const description = rule.descriptions?.[mode] ?? rule.description;
    Field(graphqlType(rule), {
      nullable: !required,
      ...(defaultValue !== undefined ? { defaultValue } : {}),
      ...(description ? { description } : {}),
    })(target.prototype as object, name);
  }
}

/** A nested input (the type of an object field, e.g. tenant settings): every field optional, without defaults. */
export function declareInputObject(target: InputClass, fields: Record<string, AnyRule>): void {
  declareInputFields(target, fields, 'update');
  inputObjects.set(fields, target);
}
