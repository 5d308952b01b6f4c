import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonSchema } from './schemas.js';

/** One FastAPI-style validation problem: `{loc, msg, type}`. */
export interface RestIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** Raised inside the REST layer for bad requests caught before GraphQL runs. */
export class RestValidationError extends Error {
  constructor(public readonly issues: RestIssue[]) {
    super(issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; '));
    this.name = 'RestValidationError';
  }
}

// Path and query values arrive as strings: they are coerced ("5" → 5, "true" → true). Bodies are JSON
// and keep their types, so `"name": 5` is a type error rather than the string "5".
const paramsAjv = addFormats(new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false }), ['uuid', 'date-time']);
// Unknown body fields are dropped, as FastAPI does; closed objects (tenant settings) reject them with `propertyNames`.
const bodyAjv = addFormats(new Ajv({ allErrors: true, coerceTypes: false, useDefaults: false, strict: false, removeAdditional: true }), ['uuid', 'date-time']);

const compiled = new WeakMap<JsonSchema, ValidateFunction>();
function compile(ajv: Ajv, schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

const TYPE_NAMES: Record<string, [string, string]> = {
  string: ['a valid string', 'string_type'],
  integer: ['a valid integer', 'int_parsing'],
  number: ['a valid number', 'float_parsing'],
  boolean: ['a valid boolean', 'bool_parsing'],
  array: ['a valid list', 'list_type'],
  object: ['a valid dictionary', 'dict_type'],
};

function issueOf(location: string, error: ErrorObject): RestIssue {
  const pointer = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  const loc: (string | number)[] = [location, ...pointer];
  // The params that the keywords below report (ajv types them per keyword, `any` in ErrorObject).
  const p = error.params as {
    missingProperty?: string;
    additionalProperty?: string;
    type?: string;
    allowedValues?: (string | number | boolean | null)[];
    format?: string;
    limit?: number;
  };
  // An unknown key of a closed object (tenant settings): ajv reports it through `propertyNames`.
  if (error.propertyName !== undefined) {
    return { loc: [...loc, error.propertyName], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' };
  }
  switch (error.keyword) {
    case 'required':
      return { loc: [...loc, String(p.missingProperty)], msg: 'Field required', type: 'missing' };
    case 'additionalProperties':
      return { loc: [...loc, String(p.additionalProperty)], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' };
    case 'type': {
      const first = String(p.type).split(',')[0];
      const [what, type] = TYPE_NAMES[first] ?? [`of type ${p.type}`, 'type_error'];
      return { loc, msg: `Input should be ${what}`, type };
    }
    case 'enum':
      return {
        loc,
        msg: `Input should be ${p
          .allowedValues!.filter((v) => v !== null)
          .map((v) => `'${v}'`)
          .join(', ')}`,
        type: 'enum',
      };
    case 'format':
      return p.format === 'uuid' ? { loc, msg: 'Input should be a valid UUID', type: 'uuid_parsing' } : { loc, msg: `Input should be a valid ${p.format}`, type: 'value_error' };
    case 'minimum':
      return { loc, msg: `Input should be greater than or equal to ${p.limit}`, type: 'greater_than_equal' };
    case 'maximum':
      return { loc, msg: `Input should be less than or equal to ${p.limit}`, type: 'less_than_equal' };
    case 'minLength':
      return { loc, msg: `String should have at least ${p.limit} character${p.limit === 1 ? '' : 's'}`, type: 'string_too_short' };
    case 'maxLength':
      return { loc, msg: `String should have at most ${p.limit} characters`, type: 'string_too_long' };
    case 'minItems':
      return { loc, msg: `List should have at least ${p.limit} item${p.limit === 1 ? '' : 's'}`, type: 'too_short' };
    case 'maxItems':
      return { loc, msg: `List should have at most ${p.limit} items`, type: 'too_long' };
    case 'uniqueItems':
      return { loc, msg: 'List items must be unique', type: 'value_error' };
    default:
      return { loc, msg: error.message ?? 'Invalid value', type: 'value_error' };
  }
}

/** Issues of one value against its schema, one per location (the first problem found there). */
function check(ajv: Ajv, location: string, schema: JsonSchema, value: unknown): RestIssue[] {
  const validate = compile(ajv, schema);
  if (validate(value)) return [];
  const byLoc = new Map<string, RestIssue>();
  for (const error of validate.errors ?? []) {
    // `propertyNames` reports each unknown key twice: once with the key (kept), once for the object.
    if (error.keyword === 'propertyNames') continue;
    const issue = issueOf(location, error);
    const key = JSON.stringify(issue.loc);
    if (!byLoc.has(key)) byLoc.set(key, issue);
  }
  return [...byLoc.values()];
}

/** The object schema of a route's path or query parameters (built once per route, compiled once). */
export function paramsSchema(properties: Record<string, JsonSchema>, required: string[]): JsonSchema {
  return { type: 'object', properties, required };
}

/** Validates (and coerces, fills defaults of) path or query parameters in place. */
export function checkParams(location: 'path' | 'query', schema: JsonSchema, values: Record<string, unknown>): RestIssue[] {
  return check(paramsAjv, location, schema, values);
}

export function checkBody(schema: JsonSchema, body: unknown): RestIssue[] {
  return check(bodyAjv, 'body', schema, body);
}
