import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type { JsonSchema } from './schemas.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** `api`: the /api/v1 envelopes and FastAPI-style errors; `management`: `{result}` and `{message, error_code}`. */
export type ApiStyle = 'api' | 'management';

/** Where a GraphQL variable comes from. Also used backwards, to turn a GraphQL error path into a REST `loc`. */
export type VariableSource =
  | { from: 'path' | 'query' | 'body'; name: string }
  /** The whole JSON body as a GraphQL input object (keys camelCased, `renames` applied first). */
  | { from: 'bodyInput'; renames?: Record<string, string> }
  /** The tenant of a management-API call: the caller's own, or the `x-tenant-id` header for super/partner admins. */
  | { from: 'managementTenant' }
  /** Whether the query string names the parameter at all (even empty): for `@include` of fields only some envelopes show. */
  | { from: 'queryNamed'; name: string };

/**
 * A route's GraphQL document: its text, typed by the `data` it answers with (as codegen's string
 * documents are). Text, not a DocumentNode: the router validates it once at startup and sends this
 * same string every time, which Apollo's document cache answers without parsing or validating again.
 */
export type RouteDocument<TData> = string & DocumentTypeDecoration<TData, Record<string, unknown>>;

/** Types the text of a route's document by the data it selects (the text is checked against the schema by src/rest/route-documents.ts). */
export const operation = <TData>(text: string): RouteDocument<TData> => text;

export interface Page {
  items: unknown[];
  pagination: unknown;
}

/**
 * GraphQL data (camelCase) → what goes into `data` / `result`; lists also give their pagination.
 * `pick` is a method so that a route typed by its own document fits the table's `RestRoute` (the
 * router hands each route the data of that route's document only).
 */
export type Reply<TData = unknown> =
  | { kind: 'single'; pick(data: TData, pathParams: Record<string, string>): unknown }
  | { kind: 'list'; pick(data: TData, query: Record<string, unknown>): Page }
  | { kind: 'empty' };

/** One REST route: adding an endpoint is adding one of these to the table (src/rest/routes.ts). */
export interface RestRoute<TData = unknown> {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/api/v1/tenants/{tenant_id}/users`. Path parameters are UUIDs unless `pathParams` says otherwise. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  style: ApiStyle;
  pathParams?: Record<string, JsonSchema>;
  queryParams?: Record<string, JsonSchema>;
  body?: JsonSchema;
  /** The body may be left out altogether (its fields are all optional): no 422 "Field required". */
  bodyOptional?: boolean;
  /** The GraphQL document the route runs against the gateway's schema. */
  document: RouteDocument<TData>;
  variables: Record<string, VariableSource>;
  status: 200 | 201 | 204;
  /** Typed by `document` alone (`NoInfer`): the reply's `pick` takes the data that document selects. */
  reply: Reply<NoInfer<TData>>;
  /** Lists whose `pagination` is not PaginationMeta (the change feed: a cursor, no totals): its component name. */
  paginationSchema?: string;
  /** Schema of the payload (`data` or `result`) for the OpenAPI document. */
  response?: JsonSchema;
  /** A valid request body for the OpenAPI document (Swagger UI's default); ids in it are `EXAMPLE_IDS`. */
  example?: Record<string, unknown>;
  /**
   * 201 routes: the created resource's path, sent as `Location`. `{name}` placeholders take the
   * request's path parameters, then the snake_cased payload's fields (`{id}` is the new row's id).
   */
  location?: string;
  /** The response carries a client secret: sent with `Cache-Control: no-store`. */
  returnsSecret?: boolean;
}

export const fromPath = (name: string): VariableSource => ({ from: 'path', name });
export const fromQuery = (name: string): VariableSource => ({ from: 'query', name });
export const queryNames = (name: string): VariableSource => ({ from: 'queryNamed', name });
export const fromBody = (name: string): VariableSource => ({ from: 'body', name });
export const bodyInput = (renames?: Record<string, string>): VariableSource => ({ from: 'bodyInput', renames });
export const managementTenant: VariableSource = { from: 'managementTenant' };

export const empty = { kind: 'empty' } as const satisfies Reply;

/**
 * One entry of the route table, its reply typed by its document's data. Replies are written as
 * object literals (`{ kind: 'single', pick: (d) => … }`): a generic helper call there would be
 * inferred before `TData` is, and type `d` as `unknown`.
 */
export const route = <TData>(definition: RestRoute<TData>): RestRoute => definition;

/** `{tenant_id}` → `:tenant_id` (Express 5 reserves braces for optional segments). */
export const expressPath = (path: string): string => path.replace(/\{([a-z_]+)\}/g, ':$1');
export const pathParamNames = (path: string): string[] => [...path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]);
