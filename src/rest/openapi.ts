import { pathParamNames, type RestRoute } from './route.js';
import { components, ref, uuid, type JsonSchema } from './schemas.js';

const json = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });

/** The success body of a route: the `/api/v1` envelopes or the management `{result}`. */
function successSchema(route: RestRoute): JsonSchema {
  const payload = route.response ?? { type: 'object' };
  if (route.style === 'management') return { type: 'object', properties: { result: payload }, required: ['result'] };
  if (route.reply.kind === 'list') {
    const items = (payload as { items?: JsonSchema }).items ?? { type: 'object' };
    return {
      type: 'object',
      properties: { data: { type: 'array', items }, pagination: ref('PaginationMeta'), meta: ref('MetaResponse') },
      required: ['data', 'pagination', 'meta'],
    };
  }
  return { type: 'object', properties: { data: payload, meta: ref('MetaResponse') }, required: ['data', 'meta'] };
}

function responsesOf(route: RestRoute): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  responses[String(route.status)] = route.status === 204 ? { description: 'Successful Response (empty body)' } : { description: 'Successful Response', ...json(successSchema(route)) };
  if (route.style === 'management') {
    const error = json(ref('ManagementError'));
    responses['400'] = { description: 'Bad request: malformed JSON, wrong types, unknown enum values, missing x-tenant-id', ...error };
    responses['401'] = { description: 'Missing or invalid bearer token', ...error };
    responses['403'] = { description: 'Not allowed for this caller', ...error };
    responses['404'] = { description: 'Not found or not visible to the caller', ...error };
    return responses;
  }
  const detail = json(ref('ErrorDetail'));
  responses['401'] = { description: 'Missing or invalid bearer token', ...detail };
  responses['403'] = { description: 'Visible to the caller but not changeable by it', ...detail };
  responses['404'] = { description: 'Not found or not visible to the caller', ...detail };
  if (route.method !== 'get') responses['409'] = { description: 'Conflict (duplicate slug, email or name; partner with live tenants)', ...detail };
  responses['422'] = { description: 'Validation Error', ...json(ref('HTTPValidationError')) };
  return responses;
}

/** OpenAPI 3.1 document generated from the route table: one operation per route. */
export function buildOpenApiDocument(routes: RestRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const parameters: unknown[] = pathParamNames(route.path).map((name) => ({ name, in: 'path', required: true, schema: route.pathParams?.[name] ?? uuid }));
    for (const [name, schema] of Object.entries(route.queryParams ?? {})) {
      const { description, ...rest } = schema as { description?: string };
      parameters.push({ name, in: 'query', required: false, schema: rest, ...(description ? { description } : {}) });
    }
    if (route.method === 'post' || route.method === 'put' || route.method === 'patch') {
      parameters.push({
        name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 },
        description: 'Makes a retry safe: the same key with the same request replays the first response for 24 h (`Idempotent-Replayed: true`); with another request it is 422; while the first is still running, 409. Scoped to the caller.',
      });
    }
    if (route.style === 'management') {
      parameters.push({
        name: 'x-tenant-id', in: 'header', required: false, schema: uuid,
        description: 'The tenant, for super and partner admins (required for them). Tenant admins and management-app tokens act on their own tenant.',
      });
    }
    paths[route.path] ??= {};
    paths[route.path][route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      parameters,
      ...(route.body ? { requestBody: { required: true, ...json(route.body) } } : {}),
      responses: responsesOf(route),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'idgraph REST compatibility API',
      version: '1.0.0',
      description: 'The documented REST API, served by running GraphQL operations through the idgraph schema (same authorization and loaders). GraphQL is at /graphql.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: components,
    },
  };
}
