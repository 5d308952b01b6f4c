import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { match, type MatchFunction } from 'path-to-regexp';
import type { GraphQLFormattedError } from 'graphql';
import { AppError, DATABASE_RETRY_AFTER_SECONDS, serviceUnavailableOf, UnauthenticatedError, type FieldIssue } from '../common/errors.js';
import { headerOf, queryStringOf, sendJson, sendJsonText } from '../common/http.js';
import { UUID_PATTERN } from '../common/uuid.js';
import { statementStatsStorage } from '../db/statement-stats.js';
import type { RequestContext } from '../graphql/context.js';
import { inputIssues } from '../graphql/input-guard.js';
import { camelToSnakeKey, toCamelKeys, toSnakeKeys } from './case.js';
import { createDocsRouter } from './docs.js';
import type { RestGateway, RestRequest } from './gateway.js';
import { etagOf, etagOfJson, hasNonJsonBody, locationOf, notModified } from './headers.js';
import { buildOpenApiDocument } from './openapi.js';
import { assertRouteDocuments } from './route-documents.js';
import { expressPath, pathParamNames, type RestRoute, type VariableSource } from './route.js';
import { routes } from './routes.js';
import { uuid, type JsonSchema } from './schemas.js';
import { httpStatusOf } from './status.js';
import { checkBody, checkParams, paramsSchema, RestValidationError, type RestIssue } from './validation.js';

/** A failure with an HTTP status, already translated from a GraphQL error, an AppError or a bad request. */
class RestFailure extends Error {
  constructor(
    public readonly status: number,
    message: string,
    public readonly issues?: RestIssue[],
  ) {
    super(message);
    this.name = 'RestFailure';
  }
}

/** Per route: the parameter schemas, compiled once. */
interface PreparedRoute {
  route: RestRoute;
  pathSchema: JsonSchema;
  querySchema: JsonSchema;
}

function prepare(route: RestRoute): PreparedRoute {
  const names = pathParamNames(route.path);
  const pathProperties = Object.fromEntries(names.map((name) => [name, route.pathParams?.[name] ?? uuid]));
  return { route, pathSchema: paramsSchema(pathProperties, names), querySchema: paramsSchema(route.queryParams ?? {}, []) };
}

/** Checks path, query and body against the route's schemas before anything runs; returns them coerced. */
function validateRequest(prepared: PreparedRoute, req: RestRequest, params: Record<string, string>, rawQuery: Record<string, unknown>) {
  const { route } = prepared;
  const pathValues: Record<string, unknown> = { ...params };
  const queryValues: Record<string, unknown> = {};
  for (const name of Object.keys(route.queryParams ?? {})) {
    const value = rawQuery[name];
    if (value !== undefined && value !== '') queryValues[name] = value;
  }
  // The shared input bounds first (depth, string length, NUL, unpaired surrogates): the schemas and the key conversion then only see bounded values.
  const unbounded = [
    ...Object.entries(pathValues).flatMap(([name, value]) => inputIssues(value, ['path', name])),
    ...Object.entries(queryValues).flatMap(([name, value]) => inputIssues(value, ['query', name])),
    ...(route.body && req.body !== undefined ? inputIssues(req.body, ['body']) : []),
  ];
  if (unbounded.length) throw new RestValidationError(unbounded.map((issue) => ({ loc: issue.path, msg: issue.message, type: issue.type })));
  const issues = [...checkParams('path', prepared.pathSchema, pathValues), ...checkParams('query', prepared.querySchema, queryValues)];
  let body: unknown = undefined;
  if (route.body) {
    body = req.body;
    if (body === undefined) {
      if (!route.bodyOptional) issues.push({ loc: ['body'], msg: 'Field required', type: 'missing' });
    } else issues.push(...checkBody(route.body, body));
  }
  if (issues.length) throw new RestValidationError(issues);
  return { path: pathValues as Record<string, string>, query: queryValues, body: body as Record<string, unknown> | undefined };
}

/** The tenant of a management-API call: a tenant admin's (or management app's) own, else the `x-tenant-id` header. */
function managementTenantOf(context: RequestContext, req: RestRequest): string {
  if (context.viewer.kind === 'tenant_admin') return context.viewer.tenantId;
  const header = headerOf(req, 'x-tenant-id');
  if (!header) throw new RestValidationError([{ loc: ['header', 'x-tenant-id'], msg: 'Header required for super and partner admins (the tenant to act on)', type: 'missing' }]);
  if (!UUID_PATTERN.test(header)) throw new RestValidationError([{ loc: ['header', 'x-tenant-id'], msg: 'Input should be a valid UUID', type: 'uuid_parsing' }]);
  return header;
}

function variablesOf(
  route: RestRoute,
  input: ReturnType<typeof validateRequest>,
  context: RequestContext,
  req: RestRequest,
  rawQuery: Record<string, unknown>,
): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const [name, source] of Object.entries(route.variables)) {
    let value: unknown;
    switch (source.from) {
      case 'path':
        value = input.path[source.name];
        break;
      case 'query':
        value = input.query[source.name];
        break;
      case 'body':
        value = input.body?.[source.name];
        break;
      case 'bodyInput': {
        const renamed = Object.fromEntries(Object.entries(input.body ?? {}).map(([key, v]) => [source.renames?.[key] ?? key, v]));
        value = toCamelKeys(renamed);
        break;
      }
      case 'managementTenant':
        value = managementTenantOf(context, req);
        break;
      case 'queryNamed':
        // The raw query: an empty value (`?cursor=`) counts as named, as for the reply (`list` picks).
        value = source.name in rawQuery;
        break;
    }
    if (value !== undefined) variables[name] = value;
  }
  return variables;
}

/** A GraphQL error path (argument terms, camelCase) → the REST `loc` of the same input. */
function locOf(route: RestRoute, path: (string | number)[]): (string | number)[] {
  const [argument, ...rest] = path;
  const snakeRest = rest.map((part) => (typeof part === 'string' ? camelToSnakeKey(part) : part));
  const source: VariableSource | undefined = route.variables[String(argument)];
  if (!source) return ['body', ...snakeRest];
  switch (source.from) {
    case 'path':
    case 'query':
    case 'body':
      return [source.from, source.name, ...snakeRest];
    case 'bodyInput': {
      const renamedBack = Object.entries(source.renames ?? {}).find(([, to]) => to === snakeRest[0])?.[0];
      return ['body', ...(renamedBack ? [renamedBack, ...snakeRest.slice(1)] : snakeRest)];
    }
    case 'managementTenant':
      return ['header', 'x-tenant-id'];
    case 'queryNamed':
      return ['query', source.name, ...snakeRest];
  }
}

function failureFromGraphQL(route: RestRoute, error: GraphQLFormattedError): RestFailure {
  const code = error.extensions?.code as string | undefined;
  const status = httpStatusOf(code);
  if (status === 422) {
    const fields = error.extensions?.fields as FieldIssue[] | undefined;
    const issues: RestIssue[] = fields?.length
      ? fields.map((field) => ({ loc: locOf(route, field.path), msg: field.message, type: field.type }))
      : [{ loc: ['body'], msg: error.message, type: 'value_error' }];
    return new RestFailure(422, error.message, issues);
  }
  return new RestFailure(status, status === 500 ? 'Internal server error' : error.message);
}

function failureOf(error: unknown): RestFailure {
  if (error instanceof RestFailure) return error;
  if (error instanceof RestValidationError) return new RestFailure(422, error.message, error.issues);
  if (error instanceof AppError) {
    const issues = 'issues' in error ? (error.issues as FieldIssue[]).map((i) => ({ loc: ['body', ...i.path.slice(1)], msg: i.message, type: i.type })) : undefined;
    return new RestFailure(httpStatusOf(error.code), error.message, issues);
  }
  const unavailable = serviceUnavailableOf(error);
  if (unavailable) return new RestFailure(503, unavailable.message);
  return new RestFailure(500, 'Internal server error');
}

/** `field: message`, without repeating the field when the message already starts with it. */
function managementIssueMessage(issue: RestIssue): string {
  const field = issue.loc.slice(1).join('.') || String(issue.loc[0]);
  return issue.msg.startsWith(field) ? issue.msg : `${field}: ${issue.msg}`;
}

/** Error bodies: `{detail}` (FastAPI style) for /api/v1, `{message, error_code}` with 400 for bad input for the management API. */
function sendFailure(res: ServerResponse, style: RestRoute['style'], failure: RestFailure): void {
  if (failure.status === 503) res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
  if (style === 'management') {
    const status = failure.status === 422 ? 400 : failure.status;
    const message = failure.issues?.length ? failure.issues.map(managementIssueMessage).join('; ') : failure.message;
    sendJson(res, status, { message, error_code: status });
    return;
  }
  sendJson(res, failure.status, { detail: failure.status === 422 ? (failure.issues ?? []) : failure.message });
}

function meta(req: RestRequest) {
  return { request_id: req.requestId, timestamp: new Date().toISOString() };
}

/** Sets the ETag; true when the request's `If-None-Match` already has it and 304 was sent. */
function withEtag(req: RestRequest, res: ServerResponse, etag: string): boolean {
  res.setHeader('ETag', etag);
  if (!notModified(req, etag)) return false;
  res.statusCode = 304;
  res.end();
  return true;
}

/** The query string as Express 5 reads it by default: through Node's `querystring`. */
function queryOf(req: RestRequest): Record<string, unknown> {
  return parseQueryString(queryStringOf(req));
}

async function serve(gateway: RestGateway, prepared: PreparedRoute, req: RestRequest, res: ServerResponse, params: Record<string, string>): Promise<void> {
  const { route } = prepared;
  const context = await gateway.contextFor(req);
  // Authentication only (who is calling); what the caller may do is decided by the GraphQL schema's rules.
  if (context.viewer.kind === 'anonymous') throw new UnauthenticatedError('Not authenticated: send "Authorization: Bearer <JWT>"');
  const rawQuery = queryOf(req);
  const input = validateRequest(prepared, req, params, rawQuery);
  const variables = variablesOf(route, input, context, req, rawQuery);
  const response = await gateway.execute({ query: route.document, variables }, context);
  if (response.body.kind !== 'single') throw new Error('REST routes run single-result operations only');
  // Headers the GraphQL plugins set (read-your-writes consistency, read source).
  for (const [name, value] of response.http.headers) if (name.startsWith('x-idgraph-')) res.setHeader(name, value);
  const { data, errors } = response.body.singleResult;
  if (errors?.length) throw failureFromGraphQL(route, errors[0]);

  if (route.reply.kind === 'empty') {
    res.statusCode = 204;
    res.end();
    return;
  }
  if (route.returnsSecret) res.setHeader('Cache-Control', 'no-store');
  if (route.reply.kind === 'list') {
    // The raw query: a parameter present but empty (e.g. `?cursor=`) still changes the envelope.
    const page = route.reply.pick(data, rawQuery);
    const pagination = toSnakeKeys(page.pagination);
    // Serialised once: the ETag is over `{data, pagination}` and the body is that object with `meta`
    // added last, the same bytes as res.json({ data, pagination, meta }).
    const representation = JSON.stringify({ data: page.items, pagination });
    if (withEtag(req, res, etagOfJson(representation))) return;
    const metaJson = JSON.stringify(meta(req));
    sendJsonText(res, route.status, representation === '{}' ? `{"meta":${metaJson}}` : `${representation.slice(0, -1)},"meta":${metaJson}}`);
    return;
  }
  const payload = route.reply.pick(data, input.path);
  if (route.location) res.setHeader('Location', locationOf(route.location, input.path, payload));
  if (withEtag(req, res, etagOf(payload))) return;
  sendJson(res, route.status, route.style === 'management' ? { result: payload } : { data: payload, meta: meta(req) });
}

/** 415 for a body that is not declared JSON (a forgotten `Content-Type` would otherwise read as a missing body). */
function requireJsonBody(style: RestRoute['style']) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!hasNonJsonBody(req)) return next();
    const given = req.header('content-type');
    const message = `Unsupported Media Type: send the body as JSON with "Content-Type: application/json"${given ? ` (got "${given}")` : ' (no Content-Type was sent)'}`;
    sendFailure(res, style, new RestFailure(415, message));
  };
}

/** JSON bodies; a malformed one is a 422 (400 for the management API) in the route's own error style. */
function jsonBody(style: RestRoute['style']) {
  const parse = express.json({ limit: '1mb', strict: false });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const status = (error as { status?: number }).status;
      if (status === 413) return sendFailure(res, style, new RestFailure(413, 'Request body too large'));
      const message = error instanceof Error ? error.message : 'Invalid JSON';
      sendFailure(res, style, new RestFailure(422, message, [{ loc: ['body'], msg: `JSON decode error: ${message}`, type: 'json_invalid' }]));
    });
}

/**
 * A route's answer once its path is matched and its body read: the operation for the request's
 * context, and any failure in the route's error style. The whole request (token lookup included)
 * counts its SQL into the request's stats.
 */
function routeAnswer(gateway: RestGateway, prepared: PreparedRoute) {
  return (req: RestRequest, res: ServerResponse, params: Record<string, string>) =>
    statementStatsStorage.run(req.stats, async () => {
      try {
        await serve(gateway, prepared, req, res, params);
      } catch (error) {
        const failure = failureOf(error);
        if (failure.status === 500) gateway.logger.error({ err: error, request_id: req.requestId }, 'REST route failed');
        sendFailure(res, prepared.route.style, failure);
      }
    });
}

/** A GET route's answer for a request, found without Express (see `RestLayer.fastRouteOf`). */
export type FastRoute = (req: RestRequest, res: ServerResponse & { locals: Record<string, unknown> }) => Promise<void>;

export interface RestLayer {
  /** Every route, the 405s, the OpenAPI document and the docs, as Express routes. */
  router: Router;
  /**
   * The answer to a GET without a body whose path Express's router would give to one of the route
   * table's GET routes (the same matching: path-to-regexp with the router's options, routes in the
   * table's order), else undefined. Such a request runs nothing else in the router: its JSON body
   * parser and idempotency handler pass a GET without a body on.
   */
  fastRouteOf: (req: RestRequest) => FastRoute | undefined;
}

/** Express's router matching of a route path: case-insensitive, an optional trailing slash, decoded parameters. */
function routeMatcher(path: string): MatchFunction<Record<string, string>> {
  return match<Record<string, string>>(expressPath(path).replace(/\/+$/, ''), { sensitive: false, end: true, trailing: true, decode: decodeURIComponent });
}

/** The REST compatibility layer (SPEC §4): routes that run GraphQL documents through the gateway's schema. */
export function createRestLayer(gateway: RestGateway): RestLayer {
  // Once, here: each request then sends the same validated text, which Apollo's document cache serves without parsing or validating again.
  assertRouteDocuments(routes, gateway.schema);
  const router = Router();
  const getRoutes: { matches: MatchFunction<Record<string, string>>; path: string; answer: ReturnType<typeof routeAnswer> }[] = [];

  for (const route of routes) {
    const prepared = prepare(route);
    const answer = routeAnswer(gateway, prepared);
    if (route.method === 'get') getRoutes.push({ matches: routeMatcher(route.path), path: route.path, answer });
    router[route.method](
      expressPath(route.path),
      (_req: Request, res: Response, next: NextFunction) => {
        // Path template for the metrics and the request log line (src/http/logger.ts logs every request once).
        res.locals.route = route.path;
        next();
      },
      ...(route.body ? [requireJsonBody(route.style)] : []),
      jsonBody(route.style),
      gateway.idempotent((res, status, message) =>
        sendFailure(res, route.style, new RestFailure(status, message, [{ loc: ['header', 'idempotency-key'], msg: message, type: 'idempotency_key_reused' }])),
      ),
      (req: Request, res: Response) => answer(req, res, req.params as Record<string, string>),
    );
  }

  // A known path with another method: 405, like the FastAPI service the seeds document.
  const methodsByPath = new Map<string, { style: RestRoute['style']; methods: string[] }>();
  for (const route of routes) {
    const entry = methodsByPath.get(route.path) ?? { style: route.style, methods: [] };
    entry.methods.push(route.method.toUpperCase());
    methodsByPath.set(route.path, entry);
  }
  for (const [path, { style, methods }] of methodsByPath) {
    router.all(expressPath(path), (_req: Request, res: Response) => {
      res.setHeader('Allow', methods.join(', '));
      sendFailure(res, style, new RestFailure(405, 'Method Not Allowed'));
    });
  }

  const openApiDocument = buildOpenApiDocument(routes);
  router.get('/openapi.json', (_req: Request, res: Response) => {
    res.json(openApiDocument);
  });
  router.use(createDocsRouter());

  router.use('/api/v1', (_req: Request, res: Response) => sendFailure(res, 'api', new RestFailure(404, 'Not Found')));
  router.use('/v1/management', (_req: Request, res: Response) => sendFailure(res, 'management', new RestFailure(404, 'Not Found')));
  const fastRouteOf = (req: RestRequest): FastRoute | undefined => {
    const url = req.url ?? '';
    if (req.method !== 'GET' || !url.startsWith('/') || hasBody(req)) return undefined;
    const end = url.search(/[?#]/);
    const path = end === -1 ? url : url.slice(0, end);
    for (const { matches, path: template, answer } of getRoutes) {
      let found: ReturnType<typeof matches>;
      try {
        found = matches(path);
      } catch {
        // A malformed %-escape: Express's router answers it (400).
        return undefined;
      }
      if (!found) continue;
      const params = found.params;
      return (request, res) => {
        // Path template for the metrics and the request log line, as the Express route sets it.
        res.locals.route = template;
        return answer(request, res, params);
      };
    }
    return undefined;
  };
  return { router, fastRouteOf };
}

/** Whether a request may carry a body: the JSON parser reads one whenever either header is there (`Content-Length: 0` too). */
function hasBody(req: RestRequest): boolean {
  return req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined;
}
