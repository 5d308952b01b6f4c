import { Field, Int } from 'type-graphql';
import type { FieldRule } from './fields.js';

/**
 * Adds the GraphQL fields of a module's declared fields (src/common/fields.ts) to an input class, in
 * declaration order. On create a required field is non-null and the others are nullable with the
 * declared default; on update every field is nullable, without default (absent: unchanged).
 */
export function declareInputFields(target: abstract new () => object, fields: Record<string, FieldRule>, mode: 'create' | 'update'): void {
  for (const [name, rule] of Object.entries(fields)) {
    const type = rule.kind === 'enum' ? () => rule.enumObject : rule.kind === 'int' ? () => Int : () => String;
    const required = mode === 'create' && rule.required;
    const defaultValue = mode === 'create' && !required ? rule.default : undefined;
    const description = rule.descriptions?.[mode] ?? rule.description;
    Field(type, {
      nullable: !required,
      ...(defaultValue !== undefined ? { defaultValue } : {}),
      ...(description ? { description } : {}),
    })(target.prototype as object, name);
  }
}
