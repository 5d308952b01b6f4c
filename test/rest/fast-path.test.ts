import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestGateway, type TestGateway } from '../support/harness.js';
import { buildWorld, createUser, type World } from '../support/world.js';
import { call } from './rest-helpers.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * REST GETs without a body are answered by the fast path (src/http/fast-path.ts, routes matched in
 * src/rest/router.ts), anything else by the Express app. A GET that says `Content-Length: 0` goes to
 * the app and means the same, so each request below is sent both ways and must get the same answer
 * (but for `meta`, which names the request).
 */
describe('REST GET: the fast path answers as the Express app does', () => {
  let gw: TestGateway;
  let server: Server;
  let su: string;
  let tenantAdmin: string;
  let w: World;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    w = await buildWorld(gw);
    tenantAdmin = await gw.token({ sub: 'ta-fast', role: 'tenant_admin', tenant_id: w.t1a, scope: 'admin:read admin:write' });
    for (const n of [1, 2, 3]) {
      const user = await createUser(gw, su, w.t1a, `fast${n}@t1a.test`);
      await call(gw, 'post', `/api/v1/tenants/${w.t1a}/users/${user}/applications`, su, { application_id: w.apps.global }).expect(201);
    }
    server = createServer(gw.gateway.listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    server.close();
    await gw.close();
  });

  const get = (path: string, headers: Record<string, string>): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const { port } = server.address() as AddressInfo;
      const req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET', agent: false, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });

  /** The same GET through the fast path and through the app; the fast path's answer. */
  const bothWays = async (path: string, headers: Record<string, string> = {}) => {
    const fast = await get(path, headers);
    const app = await get(path, { ...headers, 'content-length': '0' });
    const seen = (answer: Answer) => {
      const body = answer.body ? (JSON.parse(answer.body) as Record<string, unknown>) : undefined;
      if (body && 'meta' in body) body.meta = Object.keys(body.meta as object);
      // The change feed's starting point is the time of the read: another cursor, and ETag, each time.
      const pagination = body?.pagination as Record<string, unknown> | undefined;
      const changes = pagination && 'changes_cursor' in pagination;
      if (changes) pagination.changes_cursor = typeof pagination.changes_cursor;
      return {
        status: answer.status,
        body,
        contentType: answer.headers['content-type'],
        etag: changes ? typeof answer.headers.etag : answer.headers.etag,
        challenge: answer.headers['www-authenticate'],
        cacheControl: answer.headers['cache-control'],
      };
    };
    expect(seen(fast)).toEqual(seen(app));
    expect(fast.headers['x-request-id']).toEqual(expect.any(String));
    return { ...fast, json: fast.body ? JSON.parse(fast.body) : undefined };
  };

  it('answers pages of effective users, for a super admin and a tenant admin', async () => {
    const path = `/api/v1/admin/applications/${w.apps.global}/effective-users?page=1&per_page=2`;
    const page = await bothWays(path, { authorization: `Bearer ${su}` });
    expect(page.status).toBe(200);
    expect(page.json.data).toHaveLength(2);
    expect(page.json.pagination).toMatchObject({ page: 1, per_page: 2, total_items: 3 });
    expect(page.headers['content-type']).toBe('application/json; charset=utf-8');
    const tenants = await bothWays(`/api/v1/tenants/${w.t1a}/applications/${w.apps.global}/effective-users`, { authorization: `Bearer ${tenantAdmin}` });
    expect(tenants.status).toBe(200);
    expect(tenants.json.data).toHaveLength(3);
  });

  it('keeps an empty query parameter, a repeated one and a cursor', async () => {
    const first = await bothWays(`/api/v1/admin/applications/${w.apps.global}/effective-users?cursor=&per_page=1`, { authorization: `Bearer ${su}` });
    expect(first.status).toBe(200);
    expect(first.json.pagination.next_cursor).toEqual(expect.any(String));
    const next = await bothWays(`/api/v1/admin/applications/${w.apps.global}/effective-users?per_page=1&cursor=${encodeURIComponent(first.json.pagination.next_cursor)}`, {
      authorization: `Bearer ${su}`,
    });
    expect(next.json.data[0].id).not.toBe(first.json.data[0].id);
    const repeated = await bothWays(`/api/v1/admin/applications/${w.apps.global}/effective-users?per_page=1&per_page=2`, { authorization: `Bearer ${su}` });
    expect(repeated.status).toBe(422);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const path = `/api/v1/admin/tenants/${w.t1a}`;
    const first = await bothWays(path, { authorization: `Bearer ${su}` });
    const again = await bothWays(path, { authorization: `Bearer ${su}`, 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it('matches paths as Express does: any letter case, a trailing slash, routes in the table order', async () => {
    for (const path of ['/api/v1/admin/tenants/', '/api/v1/admin/tenants', '/API/V1/admin/tenants/', `/api/v1/admin/applications/${w.apps.global}/effective-users/`]) {
      const res = await bothWays(path, { authorization: `Bearer ${su}` });
      expect(res.status).toBe(200);
    }
  });

  it('answers errors in each surface’s shape: 401, 404, 422, the management API’s 400', async () => {
    const anonymous = await bothWays(`/api/v1/admin/tenants/${w.t1a}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="idgraph"');
    const missing = await bothWays('/api/v1/admin/tenants/00000000-0000-4000-8000-000000000000', { authorization: `Bearer ${su}` });
    expect(missing.status).toBe(404);
    const notUuid = await bothWays('/api/v1/admin/tenants/not-a-uuid', { authorization: `Bearer ${su}` });
    expect(notUuid.status).toBe(422);
    expect(notUuid.json.detail[0].loc).toEqual(['path', 'tenant_id']);
    const management = await bothWays('/v1/management/applications', { authorization: `Bearer ${su}` });
    expect(management.status).toBe(400);
    expect(management.json).toEqual({ message: expect.stringContaining('x-tenant-id'), error_code: 400 });
    const unknown = await bothWays('/api/v1/nothing-here', { authorization: `Bearer ${su}` });
    expect(unknown.status).toBe(404);
    const badEscape = await bothWays('/api/v1/admin/tenants/%E0%A4%A', { authorization: `Bearer ${su}` });
    expect(badEscape.status).toBe(400);
  });

  it('labels fast-path requests with their route template in the metrics', async () => {
    await bothWays(`/api/v1/admin/tenants/${w.t1a}`, { authorization: `Bearer ${su}` });
    const metrics = await gw.http.get('/metrics');
    expect(metrics.text).toMatch(/idgraph_http_requests_total\{surface="rest",route="\/api\/v1\/admin\/tenants\/\{tenant_id\}",method="GET",status="200"\} [1-9]/);
  });
});
