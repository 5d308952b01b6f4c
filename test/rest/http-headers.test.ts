import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { startTestGateway, type TestGateway } from '../support/harness.js';
import { buildWorld, createUser, type World } from '../support/world.js';
import { call } from './rest-helpers.js';

const FORGED = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6InN1cGVyX2FkbWluIiwiZXhwIjo0MTAyNDQ0ODAwfQ.c2lnbmF0dXJl';

/** Sends a raw request (no client-chosen Content-Type), as a forgetful `fetch(url, {body: buffer})` does. */
function rawPost(gw: TestGateway, path: string, token: string, body: string): Promise<{ status: number; body: any }> {
  const server = createServer(gw.gateway.listener).listen(0);
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ port, path, method: 'POST', agent: false, headers: { authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        server.close();
        resolve({ status: res.statusCode!, body: JSON.parse(text) });
      });
    });
    req.on('error', (error) => {
      server.close();
      reject(error);
    });
    req.end(body);
  });
}

/** HTTP details of the REST layer, /graphql and the management API: Location, WWW-Authenticate, ETag/304, no-store, 415, CORS. */
describe('HTTP headers', () => {
  let gw: TestGateway;
  let su: string;
  let w: World;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    w = await buildWorld(gw);
  });
  afterAll(() => gw.close());

  describe('Location on 201', () => {
    it('names the created resource, which reads back', async () => {
      const tenant = await call(gw, 'post', '/api/v1/admin/tenants/', su, { name: 'Located' }).expect(201);
      expect(tenant.headers.location).toBe(`/api/v1/admin/tenants/${tenant.body.data.id}`);
      const again = await call(gw, 'get', tenant.headers.location, su).expect(200);
      expect(again.body.data.name).toBe('Located');
      const user = await call(gw, 'post', `/api/v1/tenants/${w.t1a}/users`, su, { email: 'located@t1a.test' }).expect(201);
      expect(user.headers.location).toBe(`/api/v1/tenants/${w.t1a}/users/${user.body.data.id}`);
      const assigned = await call(gw, 'post', `/api/v1/tenants/${w.t1a}/users/${user.body.data.id}/applications`, su, { application_id: w.apps.global }).expect(201);
      expect(assigned.headers.location).toBe(`/api/v1/tenants/${w.t1a}/users/${user.body.data.id}/applications/${w.apps.global}`);
      const management = await call(gw, 'post', '/v1/management/applications', su, { app_name: 'Located Bot' }, { 'x-tenant-id': w.t1a }).expect(201);
      expect(management.headers.location).toBe(`/v1/management/applications/${management.body.result.id}`);
    });

    it('is absent on other successes', async () => {
      const res = await call(gw, 'get', '/api/v1/admin/tenants/', su).expect(200);
      expect(res.headers.location).toBeUndefined();
    });
  });

  describe('WWW-Authenticate on 401 (RFC 6750)', () => {
    it.each([
      ['REST', (auth?: string) => (auth ? call(gw, 'get', '/api/v1/admin/tenants/').set('authorization', auth) : call(gw, 'get', '/api/v1/admin/tenants/'))],
      ['management API', (auth?: string) => (auth ? call(gw, 'get', '/v1/management/applications').set('authorization', auth) : call(gw, 'get', '/v1/management/applications'))],
      [
        '/graphql',
        (auth?: string) => {
          const req = gw.http.post('/graphql').send({ query: '{ tenants { items { id } } }' });
          return auth ? req.set('authorization', auth) : req;
        },
      ],
    ])('%s: `Bearer` without a token, `error="invalid_token"` with a rejected one', async (_surface, send) => {
      const none = await send().expect(401);
      expect(none.headers['www-authenticate']).toBe('Bearer realm="idgraph"');
      const forged = await send(`Bearer ${FORGED}`).expect(401);
      expect(forged.headers['www-authenticate']).toBe('Bearer realm="idgraph", error="invalid_token"');
      const malformed = await send('Bearer nonsense').expect(401);
      expect(malformed.headers['www-authenticate']).toBe('Bearer realm="idgraph", error="invalid_token"');
    });

    it('no challenge on other statuses; /oauth/token keeps its Basic challenge for client authentication', async () => {
      const okRes = await call(gw, 'get', '/api/v1/admin/tenants/', su).expect(200);
      expect(okRes.headers['www-authenticate']).toBeUndefined();
      const reader = await gw.token({ sub: 'ro', role: 'tenant_admin', tenant_id: w.t1a, scope: 'admin:read' });
      const forbidden = await call(gw, 'post', `/api/v1/tenants/${w.t1a}/users`, reader, { email: 'nope@t1a.test' }).expect(403);
      expect(forbidden.headers['www-authenticate']).toBeUndefined();
      const oauth = await gw.http.post('/oauth/token').type('form').send({ grant_type: 'client_credentials', client_id: 'idg_nobody', client_secret: 'wrong' }).expect(401);
      expect(oauth.headers['www-authenticate']).toMatch(/^Basic /);
    });
  });

  describe('ETag and If-None-Match', () => {
    it('a GET repeated without change has the same ETag (meta differs) and If-None-Match gives 304 with no body', async () => {
      const first = await call(gw, 'get', `/api/v1/admin/tenants/${w.t1b}`, su).expect(200);
      const second = await call(gw, 'get', `/api/v1/admin/tenants/${w.t1b}`, su).expect(200);
      expect(first.body.meta.request_id).not.toBe(second.body.meta.request_id);
      expect(first.headers.etag).toMatch(/^W\/".+"$/);
      expect(second.headers.etag).toBe(first.headers.etag);
      const notModified = await call(gw, 'get', `/api/v1/admin/tenants/${w.t1b}`, su, undefined, { 'if-none-match': first.headers.etag }).expect(304);
      expect(notModified.text).toBe('');
      expect(notModified.headers.etag).toBe(first.headers.etag);
      // fetch() adds `Cache-Control: no-cache` when the caller sets If-None-Match; the origin still compares (RFC 9110 §13.1.2).
      await call(gw, 'get', `/api/v1/admin/tenants/${w.t1b}`, su, undefined, { 'if-none-match': `"other", ${first.headers.etag}`, 'cache-control': 'no-cache' }).expect(304);
      await call(gw, 'get', `/api/v1/admin/tenants/${w.t1b}`, su, undefined, { 'if-none-match': '"other"' }).expect(200);
    });

    it('a change gives a new ETag, and the old one no longer matches', async () => {
      const before = await call(gw, 'get', `/api/v1/admin/tenants/${w.t0}`, su).expect(200);
      await call(gw, 'patch', `/api/v1/admin/tenants/${w.t0}`, su, { name: 'Tenant Zero Renamed' }).expect(200);
      const after = await call(gw, 'get', `/api/v1/admin/tenants/${w.t0}`, su, undefined, { 'if-none-match': before.headers.etag }).expect(200);
      expect(after.headers.etag).not.toBe(before.headers.etag);
      expect(after.body.data.name).toBe('Tenant Zero Renamed');
    });

    it('lists: the ETag covers data and pagination; a new row changes it', async () => {
      const path = `/api/v1/tenants/${w.t1b}/users`;
      const first = await call(gw, 'get', path, su).expect(200);
      await call(gw, 'get', path, su, undefined, { 'if-none-match': first.headers.etag }).expect(304);
      await createUser(gw, su, w.t1b, 'new@t1b.test');
      const changed = await call(gw, 'get', path, su, undefined, { 'if-none-match': first.headers.etag }).expect(200);
      expect(changed.headers.etag).not.toBe(first.headers.etag);
      // Same data through another caller: the ETag depends on what is shown, so another viewer's smaller view differs.
      const tenantAdmin = await gw.token({ sub: 'ta', role: 'tenant_admin', tenant_id: w.t1a, scope: 'admin:read' });
      const mine = await call(gw, 'get', '/api/v1/admin/tenants/', tenantAdmin).expect(200);
      const all = await call(gw, 'get', '/api/v1/admin/tenants/', su).expect(200);
      expect(mine.headers.etag).not.toBe(all.headers.etag);
    });

    it('the management API lists carry an ETag too; writes never answer 304', async () => {
      const list = await call(gw, 'get', '/v1/management/applications', su, undefined, { 'x-tenant-id': w.t1a }).expect(200);
      await call(gw, 'get', '/v1/management/applications', su, undefined, { 'x-tenant-id': w.t1a, 'if-none-match': list.headers.etag }).expect(304);
      const patch = await call(gw, 'patch', `/api/v1/admin/tenants/${w.t1b}`, su, { status: 'active' }).expect(200);
      await call(gw, 'patch', `/api/v1/admin/tenants/${w.t1b}`, su, { status: 'active' }, { 'if-none-match': patch.headers.etag }).expect(200);
    });

    it('only REST answers carry one: GraphQL and the health probe have none (nothing a cache could use on a POST)', async () => {
      const graphql = await call(gw, 'post', '/graphql', su, { query: '{ __typename }' }).expect(200);
      expect(graphql.body.data).toEqual({ __typename: 'Query' });
      expect(graphql.headers.etag).toBeUndefined();
      const health = await call(gw, 'get', '/healthz', su).expect(200);
      expect(health.headers.etag).toBeUndefined();
    });
  });

  describe('Cache-Control: no-store on responses with a secret', () => {
    it('create application, rotate-secret, create management app, /oauth/token', async () => {
      const created = await call(gw, 'post', '/api/v1/admin/applications/', su, { name: 'Secretive', application_type: 'service' }).expect(201);
      expect(created.headers['cache-control']).toBe('no-store');
      const rotated = await call(gw, 'post', `/api/v1/admin/applications/${created.body.data.id}/rotate-secret`, su).expect(200);
      expect(rotated.headers['cache-control']).toBe('no-store');
      const management = await call(gw, 'post', '/v1/management/applications', su, { app_name: 'Secretive Bot' }, { 'x-tenant-id': w.t1a }).expect(201);
      expect(management.headers['cache-control']).toBe('no-store');
      expect(management.body.result.client_secret).toEqual(expect.any(String));
      const token = await gw.http
        .post('/oauth/token')
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: rotated.body.data.client_id, client_secret: rotated.body.data.client_secret })
        .expect(200);
      expect(token.headers['cache-control']).toBe('no-store');
    });

    it('not on responses without one', async () => {
      const read = await call(gw, 'get', `/api/v1/admin/applications/${w.apps.global}`, su).expect(200);
      expect(read.headers['cache-control']).toBeUndefined();
    });
  });

  describe('415 for a body that is not JSON', () => {
    it('REST: wrong or missing Content-Type → 415 {"detail"}, nothing written', async () => {
      const plain = await gw.http.post('/api/v1/admin/tenants/').set('authorization', `Bearer ${su}`).set('content-type', 'text/plain').send('{"name":"Plain"}').expect(415);
      expect(plain.body).toEqual({ detail: expect.stringContaining('Content-Type: application/json') });
      expect(plain.body.detail).toContain('text/plain');
      const form = await gw.http.post('/api/v1/admin/tenants/').set('authorization', `Bearer ${su}`).type('form').send({ name: 'Form' }).expect(415);
      expect(form.body.detail).toContain('application/x-www-form-urlencoded');
      const missing = await rawPost(gw, '/api/v1/admin/tenants/', su, '{"name":"No Type"}');
      expect(missing).toEqual({ status: 415, body: { detail: expect.stringContaining('no Content-Type was sent') } });
      const list = await call(gw, 'get', '/api/v1/admin/tenants/?search=plain', su).expect(200);
      expect(list.body.data).toEqual([]);
    });

    it('management API: 415 {"message", "error_code": 415}', async () => {
      const res = await gw.http
        .post('/v1/management/applications')
        .set('authorization', `Bearer ${su}`)
        .set('x-tenant-id', w.t1a)
        .set('content-type', 'text/plain')
        .send('{"app_name":"X"}')
        .expect(415);
      expect(res.body).toEqual({ message: expect.stringContaining('application/json'), error_code: 415 });
    });

    it('an empty body is still a missing body (422), and JSON with a charset is fine', async () => {
      const empty = await gw.http.post('/api/v1/admin/tenants/').set('authorization', `Bearer ${su}`).expect(422);
      expect(empty.body.detail).toEqual([{ loc: ['body'], msg: 'Field required', type: 'missing' }]);
      await gw.http
        .post('/api/v1/admin/tenants/')
        .set('authorization', `Bearer ${su}`)
        .set('content-type', 'application/json; charset=utf-8')
        .send('{"name":"Charset"}')
        .expect(201);
    });
  });

  it('management messages name the field once', async () => {
    const res = await call(gw, 'get', '/v1/management/applications', su).expect(400);
    expect(res.body.message).toBe('x-tenant-id: Header required for super and partner admins (the tenant to act on)');
    const missing = await call(gw, 'post', '/v1/management/applications', su, { app_description: 'no name' }, { 'x-tenant-id': w.t1a }).expect(400);
    expect(missing.body.message).toBe('app_name: Field required');
  });

  it('CORS is off by default: no Access-Control headers, preflight not answered as CORS', async () => {
    const res = await call(gw, 'get', '/api/v1/admin/tenants/', su, undefined, { origin: 'https://app.example.com' }).expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await gw.http.options('/api/v1/admin/tenants/').set('origin', 'https://app.example.com').set('access-control-request-method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS with CORS_ORIGINS', () => {
  let gw: TestGateway;
  let su: string;
  const ORIGIN = 'https://app.example.com';

  beforeAll(async () => {
    gw = await startTestGateway({ CORS_ORIGINS: `${ORIGIN}, http://localhost:5173` });
    su = await gw.superToken();
  });
  afterAll(() => gw.close());

  it('answers a preflight from a configured origin with the allowed headers', async () => {
    const res = await gw.http
      .options('/api/v1/admin/tenants/')
      .set('origin', ORIGIN)
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'authorization, content-type, idempotency-key, x-tenant-id')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    const allowed = String(res.headers['access-control-allow-headers'])
      .toLowerCase()
      .split(',')
      .map((h) => h.trim());
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'x-tenant-id']));
    expect(String(res.headers['access-control-allow-methods'])).toContain('PATCH');
  });

  it('exposes X-Request-Id, ETag and Location to the front end, on REST and /graphql', async () => {
    const res = await call(gw, 'post', '/api/v1/admin/tenants/', su, { name: 'Cors Inc' }, { origin: 'http://localhost:5173' }).expect(201);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const exposed = String(res.headers['access-control-expose-headers'])
      .toLowerCase()
      .split(',')
      .map((h) => h.trim());
    expect(exposed).toEqual(expect.arrayContaining(['x-request-id', 'etag', 'location']));
    const gql = await gw.http.post('/graphql').set('origin', ORIGIN).set('authorization', `Bearer ${su}`).send({ query: '{ me { kind } }' });
    expect(gql.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('another origin gets no Access-Control-Allow-Origin', async () => {
    const res = await call(gw, 'get', '/api/v1/admin/tenants/', su, undefined, { origin: 'https://evil.example' }).expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a CORS_ORIGINS entry that is not an origin stops the start with a message naming the variable', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example.com/path' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ CORS_ORIGINS: 'app.example.com' })).toThrow(/CORS_ORIGINS/);
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:5173/' }).corsOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(loadConfig({}).corsOrigins).toEqual([]);
  });
});
