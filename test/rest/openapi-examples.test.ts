import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { EXAMPLE_CLIENT, EXAMPLE_IDS } from '../../src/rest/examples.js';
import { routes } from '../../src/rest/routes.js';
import { ok, startTestGateway, type TestGateway } from '../support/harness.js';
import { createApplication, createGroup, createPartner, createTenant, createUser } from '../support/world.js';

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean; example?: unknown }[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, unknown>;
};

/** Deletes run last, in an order where each target still exists (and a partner has no live tenant left). */
const DELETE_ORDER = [
  'removeGroupMember',
  'unassignApplicationFromGroup',
  'unassignApplicationFromUser',
  'deleteUser',
  'deleteGroup',
  'deleteManagementApp',
  'deleteApplication',
  'deleteTenant',
  'deletePartner',
];

/**
 * The OpenAPI document is exercised, not only valid: every operation's own example (body, path
 * parameters, x-tenant-id), sent as Swagger UI would send it after replacing the example ids with ids
 * of a world built here, succeeds.
 */
describe('OpenAPI document: examples that work', () => {
  let gw: TestGateway;
  let su: string;
  let document: { paths: Record<string, Record<string, Operation>>; components: Record<string, any>; security: unknown[] };
  /** Example id → the id of the same kind in this test's world. */
  const ids = new Map<string, string>();
  const client = { client_id: '', client_secret: '' };

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    document = (await gw.http.get('/openapi.json').expect(200)).body;
    const partner = await createPartner(gw, su, 'Example World Partner');
    const tenant = await createTenant(gw, su, 'Example World Tenant', partner);
    const application = await createApplication(gw, su, { name: 'Example World App', scope: 'TENANT', tenantId: tenant });
    const management = ok(
      await gw.gql('mutation($t: ID!) { createManagementApplication(tenantId: $t, input: { name: "Example World Bot" }) { application { id } } }', { t: tenant }, su),
    ).createManagementApplication.application.id;
    const forToken = await createApplication(gw, su, { name: 'Token App', scope: 'GLOBAL' });
    Object.assign(client, { client_id: forToken.clientId, client_secret: forToken.clientSecret });
    const world: Record<string, string> = {
      partner_id: partner,
      tenant_id: tenant,
      application_id: application.id,
      app_id: management,
      user_id: await createUser(gw, su, tenant, 'world.user@example.test'),
      group_id: await createGroup(gw, su, tenant, 'World Group'),
      // A previous secret of the application, in its grace period (revoke's example).
      secret_id: await previousSecret(application.id),
    };
    for (const [name, example] of Object.entries(EXAMPLE_IDS)) ids.set(example, world[name]);
  });
  afterAll(() => gw.close());

  async function previousSecret(applicationId: string): Promise<string> {
    await gw.gql('mutation($id: ID!) { rotateApplicationSecret(id: $id, gracePeriodSeconds: 86400) { id } }', { id: applicationId }, su);
    const data = ok(await gw.gql('query($id: ID!) { application(id: $id) { secrets { id expiresAt } } }', { id: applicationId }, su));
    return data.application.secrets.find((secret: { expiresAt: string | null }) => secret.expiresAt !== null).id;
  }

  const substitute = (value: unknown): unknown => {
    let text = JSON.stringify(value);
    for (const [example, real] of ids) text = text.split(example).join(real);
    text = text.split(EXAMPLE_CLIENT.client_id).join(client.client_id).split(EXAMPLE_CLIENT.client_secret).join(client.client_secret);
    return JSON.parse(text);
  };

  const operations = () => Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));

  it('is a valid OpenAPI 3.1 document with an oauth2 client-credentials scheme and POST /oauth/token', async () => {
    await SwaggerParser.validate(structuredClone(document) as never);
    expect(document.components.securitySchemes.oauth2).toEqual(expect.objectContaining({ type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } } }));
    expect(document.security).toEqual([{ bearerAuth: [] }, { oauth2: [] }]);
    const token = document.paths['/oauth/token'].post;
    expect(Object.keys(token.requestBody!.content).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    expect(Object.keys(token.responses).sort()).toEqual(['200', '400', '401']);
    expect((token as unknown as { security: unknown[] }).security).toEqual([]);
  });

  it('every body has an example and every path parameter (and x-tenant-id) one', () => {
    for (const { path, operation } of operations()) {
      for (const media of Object.values(operation.requestBody?.content ?? {})) expect({ path, example: media.example }).toEqual({ path, example: expect.any(Object) });
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'path' || parameter.in === 'header')
          expect({ path, name: parameter.name, example: parameter.example }).toEqual({ path, name: parameter.name, example: expect.any(String) });
      }
    }
  });

  it('every operation, sent with its own example, succeeds (2xx) with the documented body, and every 201 names the created resource in Location', async () => {
    // Response bodies are checked against the document's own schemas, so typed clients generated from it are right.
    const dereferenced = (await SwaggerParser.dereference(structuredClone(document) as never)) as unknown as typeof document;
    const ajv = addFormats(new Ajv({ strict: false, allErrors: true }), ['uuid', 'date-time']);
    const all = operations();
    const deletes = all.filter((o) => o.method === 'delete').map((o) => o.operation.operationId);
    expect([...deletes].sort()).toEqual([...DELETE_ORDER].sort());
    const ordered = [...all.filter((o) => o.method !== 'delete'), ...DELETE_ORDER.map((id) => all.find((o) => o.operation.operationId === id)!)];
    expect(ordered).toHaveLength(routes.length + 1);
    const getPaths = all.filter((o) => o.method === 'get').map((o) => new RegExp(`^${o.path.replace(/\{[a-z_]+\}/g, '[^/]+')}$`));

    const outcomes: { operationId: string; status: number; body?: unknown }[] = [];
    for (const { path, method, operation } of ordered) {
      let url = path;
      const headers: Record<string, string> = {};
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'path') url = url.replace(`{${parameter.name}}`, String(substitute(parameter.example)));
        // An Idempotency-Key example is one key: sent with every operation it would (rightly) be refused as reused.
        if (parameter.in === 'header' && parameter.name !== 'Idempotency-Key') headers[parameter.name] = String(substitute(parameter.example));
      }
      const contents = Object.entries(operation.requestBody?.content ?? { none: {} });
      for (const [type, media] of contents) {
        let request = gw.http[method as 'get'](url);
        if (path !== '/oauth/token') request = request.set('authorization', `Bearer ${su}`);
        for (const [name, value] of Object.entries(headers)) request = request.set(name, value);
        if (type !== 'none') request = request.type(type === 'application/json' ? 'json' : 'form').send(substitute(media.example) as object);
        const res = await request;
        outcomes.push({ operationId: `${operation.operationId} (${type})`, status: res.status, ...(res.status >= 300 ? { body: res.body } : {}) });
        expect(Object.keys(operation.responses)).toContain(String(res.status));
        const schema = (dereferenced.paths[path][method].responses[String(res.status)] as { content?: Record<string, { schema: object }> })?.content?.['application/json']?.schema;
        if (schema && !ajv.validate(schema, res.body)) outcomes.push({ operationId: `${operation.operationId}: body does not match its schema`, status: 0, body: ajv.errors });
        if (res.status === 201) {
          const location = res.headers.location as string;
          expect({ operationId: operation.operationId, location }).toEqual({
            operationId: operation.operationId,
            location: expect.stringMatching(/^\/(api\/v1|v1\/management)\/.+/),
          });
          // Where the API has a GET at that path, the Location can be read back.
          if (getPaths.some((pattern) => pattern.test(location))) await gw.http.get(location).set('authorization', `Bearer ${su}`).expect(200);
        }
      }
    }
    expect(outcomes.filter((o) => o.status < 200 || o.status > 299)).toEqual([]);
    expect(outcomes.length).toBe(routes.length + 2);
  });
});
