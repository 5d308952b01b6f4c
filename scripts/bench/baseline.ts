import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { jwtVerify } from 'jose';
import { Pool } from 'pg';

/**
 * The benchmark's floor: plain `pg` + `node:http`, one hand-written statement per request over the
 * effective-access index, answering the same effective-users pages (same JSON, `meta` aside) and the
 * benchmark's GraphQL documents. It verifies the HS256 token like the gateway but trusts it beyond
 * that (no tenant or application liveness checks): only what the benchmark's data set needs.
 * Env: DATABASE_URL, JWT_SECRET, PORT (0: any; the port is printed as `baseline listening on <port>`).
 */
export const TYPENAME_QUERY = '{ __typename }';
export const APPLICATIONS_QUERY = '{ applications(perPage: 50) { items { id name effectiveUserCount effectiveUsers(perPage: 5) { items { email } } } } }';

// Created by main only: the benchmark imports this module for its documents.
let pool: Pool;
const secret = new TextEncoder().encode(process.env.JWT_SECRET ?? '');

const PAGE_SQL = (byTenant: boolean) => `
  with page as (
    select ea.user_id, ea.email, ea.tenant_id, ea.direct, ea.group_ids
    from effective_access ea
    where ea.application_id = $1 ${byTenant ? 'and ea.tenant_id = $4' : ''}
    order by ea.email, ea.user_id
    limit $2 offset $3
  )
  select
    (select coalesce(sum(c.user_count), 0) from effective_access_count c where c.application_id = $1 ${byTenant ? 'and c.tenant_id = $4' : ''})::int as total,
    coalesce((
      select json_agg(json_build_object('id', p.user_id, 'email', p.email, 'name', u.name, 'tenant_id', p.tenant_id, 'tenant_name', t.name,
        'direct', p.direct, 'groups', coalesce((select json_agg(json_build_object('id', g.id, 'name', g.name) order by g.name, g.id)
          from unnest(p.group_ids) as gid(id) cross join lateral (select g.id, g.name from user_group g where g.id = gid.id offset 0) g), '[]'::json)) order by p.email, p.user_id)
      from page p join app_user u on u.id = p.user_id join tenant t on t.id = p.tenant_id
    ), '[]'::json)::text as items`;

const APPLICATIONS_SQL = `
  select coalesce(json_agg(json_build_object('id', a.id, 'name', a.name, 'effectiveUserCount', coalesce(c.total, 0),
    'effectiveUsers', json_build_object('items', coalesce(e.items, '[]'::json))) order by a.name, a.id), '[]'::json)::text as items
  from (select a.id, a.name from application a where a.deleted_at is null order by a.name, a.id limit 50) a
  left join lateral (select sum(c.user_count)::int as total from effective_access_count c where c.application_id = a.id) c on true
  left join lateral (
    select json_agg(json_build_object('email', f.email) order by f.email, f.user_id) as items
    from (select ea.email, ea.user_id from effective_access ea where ea.application_id = a.id order by ea.email, ea.user_id limit 5) f
  ) e on true`;

const ADMIN_PAGE = /^\/api\/v1\/admin\/applications\/([0-9a-f-]{36})\/effective-users$/;
const TENANT_PAGE = /^\/api\/v1\/tenants\/([0-9a-f-]{36})\/applications\/([0-9a-f-]{36})\/effective-users$/;

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function claimsOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!token) throw Object.assign(new Error('Not authenticated'), { status: 401 });
  return (await jwtVerify(token, secret, { algorithms: ['HS256'] })).payload;
}

async function page(res: ServerResponse, url: URL, applicationId: string, tenantId: string | null): Promise<void> {
  const pageNumber = Number(url.searchParams.get('page') ?? 1);
  const perPage = Number(url.searchParams.get('per_page') ?? 20);
  const params: unknown[] = [applicationId, perPage, (pageNumber - 1) * perPage];
  if (tenantId) params.push(tenantId);
  const { rows } = await pool.query<{ total: number; items: string }>(PAGE_SQL(Boolean(tenantId)), params);
  const { total, items } = rows[0];
  const pagination = { page: pageNumber, per_page: perPage, total_items: total, total_pages: Math.ceil(total / perPage) };
  const meta = { request_id: 'baseline', timestamp: new Date().toISOString() };
  send(res, 200, `{"data":${items},"pagination":${JSON.stringify(pagination)},"meta":${JSON.stringify(meta)}}`);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://baseline');
  if (req.method === 'POST' && url.pathname === '/graphql') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { query } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string };
    if (query === TYPENAME_QUERY) return send(res, 200, '{"data":{"__typename":"Query"}}');
    await claimsOf(req);
    if (query === APPLICATIONS_QUERY) {
      const { rows } = await pool.query<{ items: string }>(APPLICATIONS_SQL);
      return send(res, 200, `{"data":{"applications":{"items":${rows[0].items}}}}`);
    }
    return send(res, 400, '{"errors":[{"message":"the baseline answers the benchmark documents only"}]}');
  }
  if (req.method === 'GET') {
    const admin = ADMIN_PAGE.exec(url.pathname);
    const tenant = TENANT_PAGE.exec(url.pathname);
    if (admin || tenant) {
      const claims = await claimsOf(req);
      const ownTenant = claims.role === 'tenant_admin' ? String(claims.tenant_id) : null;
      if (tenant) return page(res, url, tenant[2], tenant[1]);
      return page(res, url, admin![1], ownTenant);
    }
  }
  send(res, 404, '{"detail":"Not Found"}');
}

async function main(): Promise<void> {
  pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const { rows } = await pool.query<{ found: string | null }>(`select to_regclass('effective_access')::text as found`);
  if (!rows[0].found) {
    console.error('baseline: table effective_access is missing (run on the effective-access index branch, or let the benchmark build a snapshot)');
    process.exit(2);
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((error: { status?: number; message?: string }) => send(res, error.status ?? 500, JSON.stringify({ detail: error.message })));
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    console.log(`baseline listening on ${typeof address === 'object' && address ? address.port : ''}`);
  });
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
