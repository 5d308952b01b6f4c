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
  /** Must be given on create. */
  required?: boolean;
  /** `null` is a value the field accepts (it clears the field); otherwise null is refused. */
  nullable?: boolean;
  /** The GraphQL description, on create and update alike. */
  description?: string;
  /** The GraphQL description of one mode where it differs (e.g. a length range said only on create). */
  descriptions?: { create?: string; update?: string };
  /** A valid value for documentation (the OpenAPI request example); the default when absent. */
  example?: string | number;
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
  /** The TypeScript enum itself (GraphQL registers it by this object). */
  enumObject: Record<string, E>;
  values: readonly E[];
  default?: E;
}

export type FieldRule = TextRule | IntRule | EnumRule;

// The rule's literal types are kept (`required: true`), so input types can be derived from them.
export const textField = <R extends Omit<TextRule, 'kind'>>(rule: R): R & TextRule => ({ kind: 'text', ...rule });
export const intField = <R extends Omit<IntRule, 'kind'>>(rule: R): R & IntRule => ({ kind: 'int', ...rule });
/** The values of one TypeScript string enum, in declaration order. */
export const enumField = <E extends string, R extends Omit<EnumRule<E>, 'kind' | 'values' | 'enumObject'> = object>(enumObject: Record<string, E>, rule?: R): R & EnumRule<E> => ({
  kind: 'enum',
  enumObject,
  values: Object.values(enumObject),
  ...(rule as R),
});

/** `type` widened with null (and `enum` with a null member), as JSON Schema spells "nullable". */
export function nullableSchema(schema: JsonSchema): JsonSchema {
  const type = schema.type;
  const out: JsonSchema = { ...schema, type: Array.isArray(type) ? [...(type as unknown[]), 'null'] : [type, 'null'] };
  if (Array.isArray(schema.enum)) out.enum = [...(schema.enum as unknown[]), null];
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
export function lengthRange(rule: Pick<TextRule, 'minLength' | 'maxLength'>): string {
  return `${rule.minLength ?? 0}..${rule.maxLength} characters`;
}

/** "1..43200": the range as the descriptions word it. */
export function numberRange(rule: IntRule): string {
  return `${rule.minimum}..${rule.maximum}`;
}

/** The value a rule describes, once checked. */
export type FieldValue<R> = R extends EnumRule<infer E> ? E : R extends IntRule ? number : string;
/** The checked values of a module's declared fields: only the ones given (and, on create, the defaults). */
export type FieldValues<F extends Record<string, FieldRule>> = { [K in keyof F]?: FieldValue<F[K]> };

/** The GraphQL input of declared fields: on create the required ones non-null, the others optional and nullable. */
export type FieldInput<F extends Record<string, FieldRule>, Mode extends 'create' | 'update'> = {
  [K in keyof F as Mode extends 'create' ? (F[K] extends { required: true } ? K : never) : never]: FieldValue<F[K]>;
} & {
  [K in keyof F as Mode extends 'create' ? (F[K] extends { required: true } ? never : K) : K]?: FieldValue<F[K]> | null;
};

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The REST request properties of a module's declared fields, under their snake_case names. */
export function requestProperties(fields: Record<string, FieldRule>): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(fields).map(([name, rule]) => [snakeCase(name), requestSchema(rule)]));
}

/** The snake_case names of the fields a create must give. */
export function requiredOnCreate(fields: Record<string, FieldRule>): string[] {
  return Object.entries(fields)
    .filter(([, rule]) => rule.required)
    .map(([name]) => snakeCase(name));
}

/** The REST response properties of declared fields whose columns are all NOT NULL. */
export function responseProperties(fields: Record<string, FieldRule>): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, rule]) => [
      snakeCase(name),
      rule.kind === 'enum' ? { type: 'string', enum: [...rule.values] } : { type: rule.kind === 'int' ? 'integer' : 'string' },
    ]),
  );
}

/** The fields of a declaration as a selection (`{ email: true, … }`), in declaration order. */
export function selectionFields<F extends Record<string, FieldRule>>(fields: F): { [K in keyof F]: true } {
  return Object.fromEntries(Object.keys(fields).map((name) => [name, true])) as { [K in keyof F]: true };
}

/** A valid create body of declared fields, under their snake_case names: each field's example, else its default. */
export function exampleBody(fields: Record<string, FieldRule>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields)
      .map(([name, rule]) => [snakeCase(name), rule.example ?? rule.default] as const)
      .filter(([, value]) => value !== undefined),
  );
}
