import { Writable } from 'node:stream';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/http/logger.js';
import { createGateway, type Gateway } from '../src/http/server.js';
import supertest from 'supertest';
import { startTestGateway, TEST_JWT_SECRET, type GraphQLResult, type TestGateway } from './support/harness.js';
import { buildWorld, type World } from './support/world.js';
import { call } from './rest/rest-helpers.js';

/** JSON text of an object nested `levels` deep ({"a":{"a":...{}}}), built as text: no recursion on our side. */
const deepJson = (levels: number): string => '{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);
/** The same as a GraphQL object literal. */
const deepLiteral = (levels: number): string => '{a:'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);

/** No HTML, no stack trace, no file path in an error response. */
function expectCleanJson(res: supertest.Response): void {
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.text).not.toMatch(/<html|<pre|<!DOCTYPE/i);
  expect(res.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/src\/|\.ts:\d+|\.js:\d+/);
}

describe('bounded input and JSON errors everywhere', () => {
  let gw: TestGateway;
  let su: string;
  let tenantAdmin: string;
  let w: World;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    w = await buildWorld(gw);
    tenantAdmin = await gw.token({ sub: 'ta', role: 'tenant_admin', tenant_id: w.t1a, scope: 'admin:read admin:write' });
  });
  afterAll(() => gw.close());

  const postJson = (path: string, text: string, token = su) => gw.http.post(path).set('authorization', `Bearer ${token}`).set('content-type', 'application/json').send(text);

  /** The database still answers: readiness, and a real read and write through the API. */
  async function expectDatabaseHealthy(): Promise<void> {
    await gw.http.get('/readyz').expect(200);
    const list = await call(gw, 'get', '/api/v1/admin/tenants/', su).expect(200);
    expect(list.body.data.length).toBeGreaterThan(0);
    await call(gw, 'post', '/v1/management/applications', tenantAdmin, { app_name: `Healthy ${Math.random()}`, first_client: { a: { b: 1 } } }).expect(201);
  }

  const CREATE_MGMT = `mutation($t: ID!, $input: ManagementApplicationInput!) {
    createManagementApplication(tenantId: $t, input: $input) { application { id } } }`;

  describe('deeply nested first_client', () => {
    it.each([1200, 10000])('REST: %i levels → 422 / 400 naming first_client; the database stays healthy', async (levels) => {
      const api = await postJson('/api/v1/admin/applications/', `{"name":"Deep","application_type":"management","tenant_id":"${w.t1a}","first_client":${deepJson(levels)}}`).expect(
        422,
      );
      expect(api.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'first_client'], type: 'json_too_deep' })]);
      const mgmt = await postJson('/v1/management/applications', `{"app_name":"Deep","first_client":${deepJson(levels)}}`, tenantAdmin).expect(400);
      expect(mgmt.body).toEqual({ message: expect.stringContaining('first_client'), error_code: 400 });
      await expectDatabaseHealthy();
    });

    it.each([1200, 10000])('GraphQL variable: %i levels → BAD_USER_INPUT naming input.firstClient; the database stays healthy', async (levels) => {
      const text = `{"query":${JSON.stringify(CREATE_MGMT)},"variables":{"t":"${w.t1a}","input":{"name":"Deep","firstClient":${deepJson(levels)}}}}`;
      const res = await postJson('/graphql', text, tenantAdmin).expect(400);
      expect(res.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ path: ['input', 'firstClient'] })] });
      expect(res.body.data).toBeUndefined();
      await expectDatabaseHealthy();
    });

    it('GraphQL literal: nested deeper than 32 → BAD_USER_INPUT; 1,200 levels → a 4xx, never a 500', async () => {
      const shallow = await gw.gql(
        `mutation { createManagementApplication(tenantId: "${w.t1a}", input: { name: "Lit", firstClient: ${deepLiteral(40)} }) { application { id } } }`,
        undefined,
        tenantAdmin,
      );
      expect(shallow.status).toBe(400);
      expect(shallow.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ path: ['input', 'firstClient'] })] });
      const deep = await gw.gql(
        `mutation { createManagementApplication(tenantId: "${w.t1a}", input: { name: "Lit", firstClient: ${deepLiteral(1200)} }) { application { id } } }`,
        undefined,
        tenantAdmin,
      );
      expect(deep.status).toBeGreaterThanOrEqual(400);
      expect(deep.status).toBeLessThan(500);
      await expectDatabaseHealthy();
    });

    it('32 levels are accepted, 33 are not (a variable, the root counting as one level)', async () => {
      const ok = await gw.gql<any>(CREATE_MGMT, { t: w.t1a, input: { name: 'Thirty-one', firstClient: JSON.parse(deepJson(31)) } }, tenantAdmin);
      expect(ok.errors).toBeUndefined();
      const tooDeep = await gw.gql(CREATE_MGMT, { t: w.t1a, input: { name: 'Thirty-two', firstClient: JSON.parse(deepJson(32)) } }, tenantAdmin);
      expect(tooDeep.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('NUL and unpaired surrogates', () => {
    const BAD = [
      ['NUL', 'a\u0000b'],
      ['lone surrogate', 'a\ud800b'],
    ] as const;

    it.each(BAD)('%s in a REST body field → 422 naming it, nothing written', async (_name, bad) => {
      const before = (await call(gw, 'get', '/api/v1/admin/tenants/', su).expect(200)).body.pagination.total_items;
      const res = await call(gw, 'post', '/api/v1/admin/tenants/', su, { name: bad }).expect(422);
      expect(res.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'name'] })]);
      const nested = await call(gw, 'patch', `/api/v1/admin/tenants/${w.t1a}`, su, { settings: { mfa_methods: [bad] } }).expect(422);
      expect(nested.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'settings', 'mfa_methods', 0] })]);
      const key = await call(gw, 'post', '/v1/management/applications', tenantAdmin, { app_name: 'Keyed', first_client: { [bad]: 1 } }).expect(400);
      expect(key.body.message).toContain('first_client');
      expect((await call(gw, 'get', '/api/v1/admin/tenants/', su).expect(200)).body.pagination.total_items).toBe(before);
      await expectDatabaseHealthy();
    });

    it('NUL in a REST query parameter and a path parameter → 422 naming it', async () => {
      const query = await call(gw, 'get', '/api/v1/admin/tenants/?search=a%00b', su).expect(422);
      expect(query.body.detail).toEqual([expect.objectContaining({ loc: ['query', 'search'] })]);
      const path = await call(gw, 'get', '/api/v1/tenants/%00/users', su).expect(422);
      expect(path.body.detail).toEqual([expect.objectContaining({ loc: ['path', 'tenant_id'] })]);
      // Invalid UTF-8 in a query string decodes to replacement characters: harmless, answered normally.
      await call(gw, 'get', '/api/v1/admin/tenants/?search=%ED%A0%80', su).expect(200);
    });

    it.each(BAD)('%s in a GraphQL variable → BAD_USER_INPUT naming it', async (_name, bad) => {
      const search = await gw.gql('query($s: String) { tenants(search: $s) { items { id } } }', { s: bad }, su);
      expect(search.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ path: ['s'] })] });
      const input = await gw.gql('mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }', { i: { name: bad } }, su);
      expect(input.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ path: ['i', 'name'] })] });
    });

    it('NUL in a GraphQL string literal → BAD_USER_INPUT naming the argument; a lone surrogate escape is a syntax error', async () => {
      const nul = await gw.gql('mutation { createTenant(input: { name: "a\\u0000b" }) { id } }', undefined, su);
      expect(nul.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ path: ['input', 'name'] })] });
      const search = await gw.gql('{ tenants(search: "\\u0000") { items { id } } }', undefined, su);
      expect(search.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ path: ['search'] })] });
      // graphql-js refuses a lone surrogate escape while lexing: a syntax error, nothing executed.
      const surrogate: GraphQLResult = await gw.gql('mutation { createTenant(input: { name: "\\ud800" }) { id } }', undefined, su);
      expect(surrogate.errors![0].message).toMatch(/Invalid Unicode escape sequence/);
      expect(surrogate.data).toBeUndefined();
    });

    it('an over-long string anywhere in a body → 422 string_too_long', async () => {
      const res = await call(gw, 'post', '/v1/management/applications', tenantAdmin, { app_name: 'Long', first_client: { cert: 'x'.repeat(100_000) } }).expect(400);
      expect(res.body.message).toContain('first_client');
      const gql = await gw.gql(CREATE_MGMT, { t: w.t1a, input: { name: 'Long', firstClient: { cert: 'x'.repeat(100_000) } } }, tenantAdmin);
      expect(gql.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [expect.objectContaining({ path: ['input', 'firstClient', 'cert'], type: 'string_too_long' })],
      });
    });
  });

  describe('JSON errors, never HTML', () => {
    it('a bad % escape in a path → 400 JSON on REST, management and unknown paths', async () => {
      const api = await call(gw, 'get', '/api/v1/tenants/%E0%A4%A/users', su).expect(400);
      expectCleanJson(api);
      expect(api.body).toEqual({ detail: expect.any(String) });
      const mgmt = await call(gw, 'put', '/v1/management/applications/%ZZ', tenantAdmin, { app_name: 'x' }).expect(400);
      expectCleanJson(mgmt);
      expect(mgmt.body).toEqual({ message: expect.any(String), error_code: 400 });
      const unknown = await gw.http.get('/%ZZ').expect(404);
      expectCleanJson(unknown);
    });

    it('unknown paths → JSON 404; REST 404 / 405 keep their shapes', async () => {
      const unknown = await gw.http.get('/nothing/here').expect(404);
      expectCleanJson(unknown);
      expect(unknown.body).toEqual({ detail: 'Not Found' });
      const post = await gw.http.post('/nothing').send({ a: 1 }).expect(404);
      expectCleanJson(post);
      expect((await call(gw, 'get', '/api/v1/nothing-here', su).expect(404)).body).toEqual({ detail: 'Not Found' });
      const method = await call(gw, 'put', '/api/v1/admin/tenants/', su, {}).expect(405);
      expect(method.body).toEqual({ detail: 'Method Not Allowed' });
    });

    it('/graphql: malformed JSON → 400, oversized → 413, a non-JSON POST → 4xx, all GraphQL-shaped', async () => {
      const malformed = await postJson('/graphql', '{"query": ').expect(400);
      expectCleanJson(malformed);
      expect(malformed.body).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'BAD_REQUEST' } }] });
      const huge = await postJson('/graphql', JSON.stringify({ query: '{ me { kind } }', variables: { pad: 'x'.repeat(1_100_000) } })).expect(413);
      expectCleanJson(huge);
      expect(huge.body).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
      const text = await gw.http.post('/graphql').set('authorization', `Bearer ${su}`).set('content-type', 'text/plain').send('{ me { kind } }');
      expect(text.status).toBeGreaterThanOrEqual(400);
      expect(text.status).toBeLessThan(500);
      expectCleanJson(text);
      expect(text.body.errors[0].extensions.code).toEqual(expect.any(String));
    });

    it('REST: malformed JSON → 422, oversized → 413, both {detail}', async () => {
      const malformed = await postJson('/api/v1/admin/tenants/', '{"name": ').expect(422);
      expectCleanJson(malformed);
      expect(malformed.body.detail).toEqual([expect.objectContaining({ loc: ['body'], type: 'json_invalid' })]);
      const huge = await postJson('/api/v1/admin/tenants/', JSON.stringify({ name: 'x'.repeat(1_100_000) })).expect(413);
      expectCleanJson(huge);
      expect(huge.body).toEqual({ detail: expect.any(String) });
    });
  });
});

describe('error logs', () => {
  let gw: TestGateway;
  let logging: Gateway;
  const lines: string[] = [];

  beforeAll(async () => {
    gw = await startTestGateway();
    // The same gateway code and database, logging into memory.
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, EXPOSE_QUERY_STATS: '1', SEED_DEMO_DATA: '0', LOG_LEVEL: 'info' });
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    logging = await createGateway(gw.db, config, createLogger(config, sink));
    (gw as { http: supertest.Agent }).http = supertest.agent(logging.listener);
    // A real database failure whose statement carries an e-mail address as a parameter.
    await gw.db.orm.em.fork().execute(`alter table app_user add constraint no_secret_emails check (email not like '%secret%')`);
  });
  // Stopped too: its metrics' process-wide collectors would otherwise keep it, and the database, alive.
  afterAll(async () => {
    await logging.stop();
    await gw.close();
  });

  it('a failed SQL statement is logged without its parameters', async () => {
    const su = await gw.superToken();
    const tenant = await call(gw, 'post', '/api/v1/admin/tenants/', su, { name: 'Logged' }).expect(201);
    const res = await call(gw, 'post', `/api/v1/tenants/${tenant.body.data.id}/users`, su, { email: 'top.secret@example.com', name: 'Hidden' }).expect(500);
    expect(res.text).not.toContain('top.secret');
    const gql = await gw.gql(
      'mutation($t: ID!, $i: CreateUserInput!) { createUser(tenantId: $t, input: $i) { id } }',
      { t: tenant.body.data.id, i: { email: 'top.secret@example.com', name: 'Hidden' } },
      su,
    );
    expect(gql.errors![0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    const errorLines = lines.filter((line) => JSON.parse(line).level >= 50);
    expect(errorLines.length).toBeGreaterThan(0);
    expect(errorLines.join('\n')).toMatch(/no_secret_emails/);
    for (const line of lines) expect(line).not.toMatch(/top\.secret|example\.com|Hidden/);
  });
});
