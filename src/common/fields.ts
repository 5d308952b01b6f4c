/**
 * Field rules declared once per module (`src/modules/<module>/<module>.fields.ts`): the entity's column
 * lengths, the service checks (InputCheck), the REST request schemas (and so the 422s and the OpenAPI
 * components) and GraphQL descriptions all read the same declaration. The migrations stay hand-written;
 * test/field-rules.test.ts compares the declarations with the live columns.
 */

export type JsonSchema = Record<string, unknown>;

/** A service-side pattern check: the regex with the message and `type` the service reports. */
export interface PatternRule {
  regex: RegExp;
  message: string;
  type?: string;
}

interface CommonRule {
  /** `null` is a value the field accepts (it clears the field); otherwise null is refused. */
  nullable?: boolean;
  description?: string;
}

export interface TextRule extends CommonRule {
  kind: 'text';
  /** Counted on the trimmed value by the service; on the raw value by REST. */
  minLength?: number;
  maxLength: number;
  /** Checked by the service only: REST keeps the service's message and type for it. */
  pattern?: PatternRule;
  default?: string;
}

export interface IntRule extends CommonRule {
  kind: 'int';
  minimum: number;
  maximum: number;
  default?: number;
}

export interface EnumRule<E extends string = string> extends CommonRule {
  kind: 'enum';
  values: readonly E[];
  default?: E;
}

export type FieldRule = TextRule | IntRule | EnumRule;

export const textField = (rule: Omit<TextRule, 'kind'>): TextRule => ({ kind: 'text', ...rule });
export const intField = (rule: Omit<IntRule, 'kind'>): IntRule => ({ kind: 'int', ...rule });
/** The values of one TypeScript string enum, in declaration order. */
export const enumField = <E extends string>(enumObject: Record<string, E>, rule: Omit<EnumRule<E>, 'kind' | 'values'> = {}): EnumRule<E> => ({
  kind: 'enum',
  values: Object.values(enumObject),
  ...rule,
});

/** `type` widened with null (and `enum` with a null member), as JSON Schema spells "nullable". */
export function nullableSchema(schema: JsonSchema): JsonSchema {
  const type = schema.type;
  const out: JsonSchema = { ...schema, type: Array.isArray(type) ? [...type, 'null'] : [type, 'null'] };
  if (Array.isArray(schema.enum)) out.enum = [...schema.enum, null];
  return out;
}

/**
 * The REST request schema of one field: type, lengths, range, enum, nullability. Patterns stay with the
 * service (its messages are the documented ones); descriptions are added by the REST schema where wanted.
 */
export function requestSchema(rule: FieldRule): JsonSchema {
  let schema: JsonSchema;
  switch (rule.kind) {
    case 'text':
      schema = { type: 'string', ...(rule.minLength ? { minLength: rule.minLength } : {}), maxLength: rule.maxLength };
      break;
    case 'int':
      schema = { type: 'integer', minimum: rule.minimum, maximum: rule.maximum };
      break;
    case 'enum':
      schema = { type: 'string', enum: [...rule.values] };
      break;
  }
  return rule.nullable ? nullableSchema(schema) : schema;
}

/** "1..200 characters": the length range as the GraphQL descriptions word it. */
export function lengthRange(rule: TextRule): string {
  return `${rule.minLength ?? 0}..${rule.maxLength} characters`;
}

/** "1..43200": the range as the descriptions word it. */
export function numberRange(rule: IntRule): string {
  return `${rule.minimum}..${rule.maximum}`;
}
