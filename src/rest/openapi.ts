import { EXAMPLE_CLIENT, EXAMPLE_IDS } from './examples.js';
import { pathParamNames, type RestRoute } from './route.js';
import { components, ref, uuid, type JsonSchema } from './schemas.js';

const json = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });
const header = (description: string, schema: JsonSchema = { type: 'string' }) => ({ description, schema });

/** Response headers, described once (components.headers) and referenced where they are sent. */
const headers = {
  Location: header('The path of the created resource.'),
  ETag: header('Weak entity tag over `data` (and `pagination`), not `meta`: send it back in `If-None-Match` to get 304 when nothing changed.'),
  CacheControlNoStore: header('`no-store`: the body carries a client secret.', { type: 'string', enum: ['no-store'] }),
  WWWAuthenticate: header('`Bearer realm="idgraph"`, with `error="invalid_token"` when a token was sent but rejected (RFC 6750).'),
  XRequestId: header("The request id (the caller's `X-Request-Id` when it sent a sane one), also in `meta.request_id`."),
};
const headerRef = (name: keyof typeof headers) => ({ $ref: `#/components/headers/${name}` });

/** The success body of a route: the `/api/v1` envelopes or the management `{result}`. */
function successSchema(route: RestRoute): JsonSchema {
  const payload = route.response ?? { type: 'object' };
  if (route.style === 'management') return { type: 'object', properties: { result: payload }, required: ['result'] };
  if (route.reply.kind === 'list') {
    const items = (payload as { items?: JsonSchema }).items ?? { type: 'object' };
    return {
      type: 'object',
      properties: { data: { type: 'array', items }, pagination: ref(route.paginationSchema ?? 'PaginationMeta'), meta: ref('MetaResponse') },
      required: ['data', 'pagination', 'meta'],
    };
  }
  return { type: 'object', properties: { data: payload, meta: ref('MetaResponse') }, required: ['data', 'meta'] };
}

function successHeaders(route: RestRoute): Record<string, unknown> {
  const sent: Record<string, unknown> = { 'X-Request-Id': headerRef('XRequestId') };
  if (route.status !== 204) sent.ETag = headerRef('ETag');
  if (route.location) sent.Location = headerRef('Location');
  if (route.returnsSecret) sent['Cache-Control'] = headerRef('CacheControlNoStore');
  return sent;
}

function responsesOf(route: RestRoute): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  responses[String(route.status)] =
    route.status === 204
      ? { description: 'Successful Response (empty body)', headers: successHeaders(route) }
      : { description: 'Successful Response', headers: successHeaders(route), ...json(successSchema(route)) };
  if (route.method === 'get') responses['304'] = { description: 'Not Modified: `If-None-Match` matches the current ETag', headers: { ETag: headerRef('ETag') } };
  const unauthorized = { headers: { 'WWW-Authenticate': headerRef('WWWAuthenticate') } };
  if (route.style === 'management') {
    const error = json(ref('ManagementError'));
    responses['400'] = { description: 'Bad request: malformed JSON, wrong types, unknown enum values, missing x-tenant-id', ...error };
    responses['401'] = { description: 'Missing or invalid bearer token', ...unauthorized, ...error };
    responses['403'] = { description: 'Not allowed for this caller', ...error };
    responses['404'] = { description: 'Not found or not visible to the caller', ...error };
    if (route.body) responses['415'] = { description: 'The body is not sent as `Content-Type: application/json`', ...error };
    return responses;
  }
  const detail = json(ref('ErrorDetail'));
  responses['401'] = { description: 'Missing or invalid bearer token', ...unauthorized, ...detail };
  responses['403'] = { description: 'Visible to the caller but not changeable by it', ...detail };
  responses['404'] = { description: 'Not found or not visible to the caller', ...detail };
  if (route.method !== 'get') responses['409'] = { description: 'Conflict (duplicate slug, email or name; partner with live tenants)', ...detail };
  if (route.body) responses['415'] = { description: 'The body is not sent as `Content-Type: application/json`', ...detail };
  responses['422'] = { description: 'Validation Error', ...json(ref('HTTPValidationError')) };
  if (route.paginationSchema === 'ChangeFeedPagination')
    responses['410'] = { description: 'The cursor is older than the change retention: read all effective users again', ...detail };
  return responses;
}

/** OpenAPI 3.1 document generated from the route table: one operation per route. */
export function buildOpenApiDocument(routes: RestRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const parameters: unknown[] = pathParamNames(route.path).map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: route.pathParams?.[name] ?? uuid,
      ...(EXAMPLE_IDS[name] ? { example: EXAMPLE_IDS[name] } : {}),
    }));
    for (const [name, schema] of Object.entries(route.queryParams ?? {})) {
      const { description, ...rest } = schema as { description?: string };
      parameters.push({ name, in: 'query', required: false, schema: rest, ...(description ? { description } : {}) });
    }
    if (route.method === 'post' || route.method === 'put' || route.method === 'patch') {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string', minLength: 1, maxLength: 255 },
        example: 'd6f1c1e2-retry-safe-key',
        description:
          'Makes a retry safe: the same key with the same request replays the first response for 24 h (`Idempotent-Replayed: true`); with another request it is 422; while the first is still running, 409. Scoped to the caller.',
      });
    }
    if (route.style === 'management') {
      parameters.push({
        name: 'x-tenant-id',
        in: 'header',
        required: false,
        schema: uuid,
        example: EXAMPLE_IDS.tenant_id,
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
      ...(route.body
        ? { requestBody: { required: !route.bodyOptional, content: { 'application/json': { schema: route.body, ...(route.example ? { example: route.example } : {}) } } } }
        : {}),
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
    // Either an admin's JWT pasted as a bearer token, or an application token fetched by Swagger UI's
    // Authorize from /oauth/token with the application's client id and secret.
    security: [{ bearerAuth: [] }, { oauth2: [] }],
    tags: [...new Set(routes.map((r) => r.tag)), 'OAuth'].map((name) => ({ name })),
    paths: { ...paths, ...oauthPaths },
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An admin JWT (`npm run token`), or any token from /oauth/token.' },
        oauth2: {
          type: 'oauth2',
          description:
            "Client credentials of an application. A management application's token acts as tenant admin of its tenant; any other application may read its own application and effective users.",
          flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } },
        },
      },
      headers,
      schemas: { ...components, ...oauthSchemas },
    },
  };
}

const oauthSchemas: Record<string, JsonSchema> = {
  TokenRequest: {
    type: 'object',
    properties: {
      grant_type: { type: 'string', enum: ['client_credentials'] },
      client_id: { type: 'string', description: 'Or in HTTP Basic authentication (RFC 6749 §2.3.1).' },
      client_secret: { type: 'string', description: 'Or in HTTP Basic authentication (RFC 6749 §2.3.1).' },
    },
    required: ['grant_type'],
  },
  TokenResponse: {
    type: 'object',
    properties: {
      access_token: { type: 'string', description: 'An HS256 JWT issued by `idgraph`.' },
      token_type: { type: 'string', enum: ['Bearer'] },
      expires_in: { type: 'integer', description: 'Seconds (APP_TOKEN_TTL_SECONDS, default 3600).' },
      scope: { type: 'string', description: 'Management applications: `admin:read admin:write`.' },
    },
    required: ['access_token', 'token_type', 'expires_in'],
  },
  OAuthError: {
    type: 'object',
    properties: { error: { type: 'string', enum: ['invalid_request', 'unsupported_grant_type', 'invalid_client'] }, error_description: { type: 'string' } },
    required: ['error'],
  },
};

const tokenExample = { grant_type: 'client_credentials', ...EXAMPLE_CLIENT };
const noStore = { 'Cache-Control': headerRef('CacheControlNoStore') };

/** POST /oauth/token (src/modules/application/oauth.router.ts): not a GraphQL route, described by hand. */
const oauthPaths: Record<string, Record<string, unknown>> = {
  '/oauth/token': {
    post: {
      operationId: 'issueToken',
      summary: 'Issue Application Token',
      description: "OAuth 2.0 client credentials grant (RFC 6749 §4.4): an application's client id and secret for a bearer token. Form-encoded or JSON.",
      tags: ['OAuth'],
      security: [],
      requestBody: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': { schema: ref('TokenRequest'), example: tokenExample },
          'application/json': { schema: ref('TokenRequest'), example: tokenExample },
        },
      },
      responses: {
        '200': { description: 'The token', headers: noStore, ...json(ref('TokenResponse')) },
        '400': { description: 'invalid_request or unsupported_grant_type', headers: noStore, ...json(ref('OAuthError')) },
        '401': { description: 'invalid_client: unknown client or wrong secret', headers: noStore, ...json(ref('OAuthError')) },
      },
    },
  },
};
