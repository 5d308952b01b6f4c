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
  /**
   * `null` is a value the field accepts (it clears the field); otherwise null is refused. `'create'`:
   * accepted on create only, where it means "not given" (the service derives the value).
   */
  nullable?: boolean | 'create';
  /** The GraphQL description, on create and update alike. */
  description?: string;
  /** The GraphQL description of one mode where it differs (e.g. a length range said only on create). */
  descriptions?: { create?: string; update?: string };
  /** The field exists only on create (e.g. fixed afterwards) or only on update. */
  only?: 'create' | 'update';
  /** `false`: the GraphQL create input shows no default (the service applies it). */
  graphqlDefault?: false;
  /** The description of the REST request property (the GraphQL one is not copied: REST names differ). */
  restDescription?: string;
  /** A valid value for documentation (the OpenAPI request example), as REST sends it; the default when absent. */
  example?: unknown;
}

export interface TextRule extends CommonRule {
  kind: 'text';
  /** Counted on the trimmed value by the service; on the raw value by REST. */
  minLength?: number;
  maxLength: number;
  /**
   * Checked by the service only: REST keeps the service's message and type for it. `whole`: the length
   * range and the pattern are one check on the untrimmed value, reported with the pattern's message.
   */
  pattern?: PatternRule & { whole?: boolean };
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

export interface BoolRule extends CommonRule {
  kind: 'bool';
  default?: boolean;
}

/** A list of enum values, or of plain strings (whose own checks stay with the service). */
export interface ListRule<I extends EnumRule | 'string' = EnumRule | 'string'> extends CommonRule {
  kind: 'list';
  items: I;
  /** The REST description of one item. */
  itemDescription?: string;
  uniqueItems?: boolean;
  maxItems?: number;
  default?: never;
}

/**
 * An object of declared fields (stored as one JSON column), every one optional: REST rejects unknown
 * keys; its GraphQL input type is the class `declareInputObject` filled with the same fields.
 */
export interface ObjectRule<F extends Record<string, AnyRule> = Record<string, AnyRule>> extends CommonRule {
  kind: 'object';
  fields: F;
  default?: never;
}

/** A JSON object of the client's own, kept as given. */
export interface JsonRule extends CommonRule {
  kind: 'json';
  default?: never;
}

/** A rule of one scalar column: test/field-rules.test.ts compares these with the live database. */
export type FieldRule = TextRule | IntRule | EnumRule;
/** Any declared field: a column's scalar, or a boolean, list, nested object or JSON value. */
export type AnyRule = FieldRule | BoolRule | ListRule | ObjectRule | JsonRule;

// The rule's literal types are kept (`required: true`), so input types can be derived from them.
export const textField = <R extends Omit<TextRule, 'kind'>>(rule: R): R & TextRule => ({ kind: 'text', ...rule });
export const intField = <R extends Omit<IntRule, 'kind'>>(rule: R): R & IntRule => ({ kind: 'int', ...rule });
export const boolField = <R extends Omit<BoolRule, 'kind'>>(rule: R): R & BoolRule => ({ kind: 'bool', ...rule });
export const listField = <I extends EnumRule | 'string', R extends Omit<ListRule<I>, 'kind' | 'items'> = object>(items: I, rule?: R): R & ListRule<I> => ({
  kind: 'list',
  items,
  ...(rule as R),
});
export const objectField = <F extends Record<string, AnyRule>, R extends Omit<ObjectRule<F>, 'kind' | 'fields'> = object>(fields: F, rule?: R): R & ObjectRule<F> => ({
  kind: 'object',
  fields,
  ...(rule as R),
});
export const jsonField = <R extends Omit<JsonRule, 'kind'>>(rule: R): R & JsonRule => ({ kind: 'json', ...rule });
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
export function requestSchema(rule: AnyRule, mode?: 'create' | 'update'): JsonSchema {
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
    case 'bool':
      schema = { type: 'boolean' };
      break;
    case 'list':
      schema = {
        type: 'array',
        items: rule.items === 'string' ? { type: 'string', ...(rule.itemDescription ? { description: rule.itemDescription } : {}) } : requestSchema(rule.items),
        ...(rule.uniqueItems ? { uniqueItems: true } : {}),
        ...(rule.maxItems !== undefined ? { maxItems: rule.maxItems } : {}),
      };
      break;
    case 'object': {
      const properties = requestProperties(rule.fields);
      // Unknown keys are an error (SPEC §1: tenant settings), not silently dropped.
      schema = { type: 'object', properties, additionalProperties: false, propertyNames: { enum: Object.keys(properties) } };
      break;
    }
    case 'json':
      schema = { type: 'object' };
      break;
  }
  if (rule.nullable === true || (rule.nullable === 'create' && mode === 'create')) schema = nullableSchema(schema);
  return rule.restDescription ? { ...schema, description: rule.restDescription } : schema;
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
export type FieldValue<R> =
  R extends EnumRule<infer E>
    ? E
    : R extends IntRule
      ? number
      : R extends BoolRule
        ? boolean
        : R extends ListRule<infer I>
          ? (I extends EnumRule<infer E> ? E : string)[]
          : R extends ObjectRule<infer F>
            ? FieldInput<F, 'update'>
            : R extends JsonRule
              ? Record<string, unknown>
              : string;
/** The checked values of a module's declared fields: only the ones given (and, on create, the defaults). */
export type FieldValues<F extends Record<string, AnyRule>> = { [K in keyof F]?: FieldValue<F[K]> };

/** The GraphQL input of declared fields: on create the required ones non-null, the others optional and nullable. */
export type FieldInput<F extends Record<string, AnyRule>, Mode extends 'create' | 'update'> = {
  [K in keyof F as F[K] extends { only: Exclude<'create' | 'update', Mode> } ? never : Mode extends 'create' ? (F[K] extends { required: true } ? K : never) : never]: FieldValue<
    F[K]
  >;
} & {
  [K in keyof F as F[K] extends { only: Exclude<'create' | 'update', Mode> } ? never : Mode extends 'create' ? (F[K] extends { required: true } ? never : K) : K]?: FieldValue<
    F[K]
  > | null;
};

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The REST request properties of a module's declared fields, under their snake_case names. */
export function requestProperties(fields: Record<string, AnyRule>, mode?: 'create' | 'update'): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, rule]) => !mode || !rule.only || rule.only === mode)
      .map(([name, rule]) => [snakeCase(name), requestSchema(rule, mode)]),
  );
}

/** The snake_case names of the fields a create must give. */
export function requiredOnCreate(fields: Record<string, AnyRule>): string[] {
  return Object.entries(fields)
    .filter(([, rule]) => rule.required)
    .map(([name]) => snakeCase(name));
}

/** The REST response property of one declared field whose column is NOT NULL. */
function responseSchema(rule: AnyRule | 'string'): JsonSchema {
  if (rule === 'string') return { type: 'string' };
  switch (rule.kind) {
    case 'enum':
      return { type: 'string', enum: [...rule.values] };
    case 'int':
      return { type: 'integer' };
    case 'bool':
      return { type: 'boolean' };
    case 'list':
      return { type: 'array', items: responseSchema(rule.items) };
    case 'object':
      return { type: 'object', properties: responseProperties(rule.fields) };
    case 'json':
      return { type: 'object' };
    case 'text':
      return { type: 'string' };
  }
}

/** The REST response properties of declared fields whose columns are all NOT NULL. */
export function responseProperties(fields: Record<string, AnyRule>): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(fields).map(([name, rule]) => [snakeCase(name), responseSchema(rule)]));
}

/** The fields of a declaration as a selection (`{ email: true, … }`), in declaration order. */
export function selectionFields<F extends Record<string, AnyRule>>(fields: F): { [K in keyof F]: true } {
  return Object.fromEntries(Object.keys(fields).map((name) => [name, true])) as { [K in keyof F]: true };
}

/** A valid create body of declared fields, under their snake_case names: each field's example, else its default. */
export function exampleBody(fields: Record<string, AnyRule>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields)
      .map(([name, rule]) => [snakeCase(name), rule.example ?? rule.default] as const)
      .filter(([, value]) => value !== undefined),
  );
}
