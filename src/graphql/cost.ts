import {
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  parse,
  TypeInfo,
  ValidationContext,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLError,
  type GraphQLCompositeType,
  type GraphQLSchema,
} from 'graphql';
import { createComplexityRule, type ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { MAX_SEARCH_LENGTH } from '../common/search.js';

/**
 * The cost of a GraphQL operation: about the number of values it can return, known before it runs.
 *
 * - a leaf (scalar or enum, lists of them included) costs 1, an object 1 plus its selection;
 * - a paged field (`perPage`/`first`, the default when absent) costs 1 + perPage × its `items`:
 *   nested pages multiply, so `users(perPage: 100) { items { groups { members(perPage: 100) ... } } }`
 *   is priced as the 10,000s of members it can return, not as a handful of fields;
 * - a page's `pagination` is free (one count per batch, four integers);
 * - an unpaged list of objects (`User.groups`, `Group.applications`, ...) counts as ASSUMED_LIST_SIZE items.
 *
 * Variables count (`perPage: $n`), and so do fragments (each spread is priced where it is used).
 */
// The default limit is a setting (GRAPHQL_MAX_COST); config sits below graphql, so it is defined there.
export { DEFAULT_MAX_COST } from '../config.js';
/** What an unpaged list of objects is assumed to hold (also a page size the schema gives no default for). */
export const ASSUMED_LIST_SIZE = 20;
/** Fields visited (fragments expanded) before the walk itself gives up: a fragment bomb is refused, not priced. */
export const MAX_COST_NODES = 10_000;

const PAGE_SIZE_ARGUMENTS = ['perPage', 'first'] as const;

function pageSizeOf(args: Record<string, unknown>): number | undefined {
  for (const name of PAGE_SIZE_ARGUMENTS) {
    const value = args[name];
    // A zero or negative size is refused by the resolver before any SQL.
    if (typeof value === 'number' && Number.isFinite(value)) return value >= 1 ? value : ASSUMED_LIST_SIZE;
  }
  return undefined;
}

/** `{ items: [T], pagination }`: the page types of the schema. */
function isPageType(type: GraphQLCompositeType): boolean {
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  return 'items' in fields && 'pagination' in fields && isListType(getNullableType(fields.items.type));
}

/**
 * Introspection (`__schema`, `__type` and the `__*` types below them): each list is priced at the
 * largest size it has in this schema (all types, the most fields of a type, ...), so a query that
 * nests `fields { type { fields ... } }` costs what it would really return.
 */
interface IntrospectionSizes {
  [listField: string]: number;
}

const introspectionSizesOf = new WeakMap<GraphQLSchema, IntrospectionSizes>();

function introspectionSizes(schema: GraphQLSchema): IntrospectionSizes {
  let sizes = introspectionSizesOf.get(schema);
  if (sizes) return sizes;
  const types = Object.values(schema.getTypeMap());
  const most = (counts: number[]) => Math.max(1, ...counts);
  const fieldMaps = types
    .filter((t) => isObjectType(t) || isInterfaceType(t))
    .map((t) => Object.values((t as { getFields(): Record<string, { args: readonly unknown[] }> }).getFields()));
  sizes = {
    types: types.length,
    fields: most(fieldMaps.map((fields) => fields.length)),
    args: most([...fieldMaps.flat().map((field) => field.args.length), ...schema.getDirectives().map((d) => d.args.length)]),
    inputFields: most(types.filter(isInputObjectType).map((t) => Object.keys(t.getFields()).length)),
    enumValues: most(types.filter(isEnumType).map((t) => t.getValues().length)),
    interfaces: most(types.filter((t) => isObjectType(t) || isInterfaceType(t)).map((t) => (t as { getInterfaces(): readonly unknown[] }).getInterfaces().length)),
    possibleTypes: most(types.filter(isInterfaceType).map((t) => schema.getPossibleTypes(t).length)),
    directives: schema.getDirectives().length,
    locations: most(schema.getDirectives().map((d) => d.locations.length)),
  };
  introspectionSizesOf.set(schema, sizes);
  return sizes;
}

const isIntrospection = (type: GraphQLCompositeType, fieldName: string) => type.name.startsWith('__') || fieldName === '__schema' || fieldName === '__type';

function fieldCost(schema: GraphQLSchema, { type, field, args, childComplexity }: ComplexityEstimatorArgs): number {
  if (isIntrospection(type, field.name)) {
    if (isLeafType(getNamedType(field.type))) return 1;
    return 1 + (isListType(getNullableType(field.type)) ? (introspectionSizes(schema)[field.name] ?? ASSUMED_LIST_SIZE) : 1) * childComplexity;
  }
  if (isPageType(type)) return field.name === 'items' ? 1 + childComplexity : 0;
  if (isLeafType(getNamedType(field.type))) return 1;
  // Arguments come with the schema's defaults applied (perPage: 20).
  const pageSize = pageSizeOf(args) ?? (field.args.some((arg) => (PAGE_SIZE_ARGUMENTS as readonly string[]).includes(arg.name)) ? ASSUMED_LIST_SIZE : undefined);
  if (pageSize !== undefined) return 1 + pageSize * childComplexity;
  if (isListType(getNullableType(field.type))) return 1 + ASSUMED_LIST_SIZE * childComplexity;
  return 1 + childComplexity;
}

export class CostNodesExceeded extends Error {}

export interface OperationAnalysis {
  cost: number;
  /** The operation reads the schema (`__schema`, `__type`): its limit is introspectionAllowance. */
  introspection: boolean;
  /** `Type.field` of each field given a `search` longer than MAX_SEARCH_LENGTH. */
  longSearches: string[];
}

/**
 * Prices the operation `operationName` of `document` with `variables`, and notes the argument values
 * that are out of bounds (so far: `search` length) in the same walk, with variables applied.
 * Throws the variable coercion error when the variables do not fit (execution would refuse them
 * anyway), and CostNodesExceeded when the document expands to more than MAX_COST_NODES fields.
 */
export function analyzeOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown> | undefined,
): OperationAnalysis {
  const longSearches: string[] = [];
  let introspection = false;
  const estimator = (field: ComplexityEstimatorArgs): number => {
    if (field.field.name === '__schema' || field.field.name === '__type') introspection = true;
    const search: unknown = field.args.search;
    if (typeof search === 'string' && search.length > MAX_SEARCH_LENGTH) longSearches.push(`${field.type.name}.${field.field.name}`);
    return fieldCost(schema, field);
  };
  // graphql-query-complexity's getComplexity, with the walker kept at hand: when the walk stops, its own
  // node counter tells a document over MAX_COST_NODES from any other failure (its error has no code).
  const typeInfo = new TypeInfo(schema);
  const reported: GraphQLError[] = [];
  const context = new ValidationContext(schema, document, typeInfo, (error) => reported.push(error));
  const walker = createComplexityRule({ maximumComplexity: Infinity, estimators: [estimator], variables: variables ?? {}, operationName, maxQueryNodes: MAX_COST_NODES })(context);
  try {
    visit(document, visitWithTypeInfo(typeInfo, walker));
  } catch (error) {
    if (walker.evaluatedNodes >= MAX_COST_NODES) throw new CostNodesExceeded(`The document expands to more than ${MAX_COST_NODES} fields`);
    throw error;
  }
  // As getComplexity: the last error reported (variables that do not fit their types).
  const invalid = reported.pop();
  if (invalid) throw invalid;
  return { cost: walker.complexity, longSearches, introspection };
}

const allowanceOf = new WeakMap<GraphQLSchema, number>();

/**
 * The most an introspection operation may cost: the full standard introspection query (what GraphiQL
 * and code generators send, with every option on) and 10 % to spare, whatever GRAPHQL_MAX_COST says.
 * Queries that nest the schema's lists deeper than that query does cost far more, and are refused.
 */
export function introspectionAllowance(schema: GraphQLSchema): number {
  let allowance = allowanceOf.get(schema);
  if (allowance === undefined) {
    const standard = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
    allowance = Math.ceil(1.1 * analyzeOperation(schema, parse(standard), undefined, {}).cost);
    allowanceOf.set(schema, allowance);
  }
  return allowance;
}
