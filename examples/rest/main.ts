import createClient, { type Middleware } from 'openapi-fetch';
import { check, gatewayFromEnv, run, runId } from '../shared/env.js';
import type { components, paths } from './generated/schema.js';

type Tenant = components['schemas']['Tenant'];

/**
 * A front end's day over REST, typed from /openapi.json (openapi-typescript) and called with
 * openapi-fetch: paths, path/query parameters, bodies, responses and error bodies are all checked
 * by the compiler. Creates a tenant and users, an application, assigns it (one and bulk), pages
 * through its effective users, revalidates with ETag, rotates the secret and exchanges it at /oauth/token.
 */
run(async () => {
  const { baseUrl, token } = gatewayFromEnv();
  const api = createClient<paths>({ baseUrl });
  const bearer: Middleware = {
    onRequest({ request }) {
      if (!request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  };
  // Read-your-writes with read replicas: send back the WAL position of the last write.
  let consistency: string | undefined;
  const readYourWrites: Middleware = {
    onRequest({ request }) {
      if (consistency) request.headers.set('x-idgraph-consistency', consistency);
      return request;
    },
    onResponse({ response }) {
      consistency = response.headers.get('x-idgraph-consistency') ?? consistency;
      return response;
    },
  };
  api.use(bearer, readYourWrites);

  const created = await api.POST('/api/v1/admin/tenants/', { body: { name: `REST Example ${runId}`, settings: { mfa_required: true, session_timeout: 120 } } });
  check(created.data, `create tenant: ${JSON.stringify(created.error)}`);
  const tenant: Tenant = created.data.data;
  console.log(`tenant ${tenant.name} (${tenant.slug}) at ${created.response.headers.get('location')}`);
  check(created.response.headers.get('location') === `/api/v1/admin/tenants/${tenant.id}`, 'Location names the new tenant');

  const tenantPath = { tenant_id: tenant.id };
  const userIds: string[] = [];
  for (const name of ['amir', 'bea', 'carl']) {
    const { data, error } = await api.POST('/api/v1/tenants/{tenant_id}/users', { params: { path: tenantPath }, body: { email: `${name}@rest-example.test`, name } });
    check(data, `create user: ${JSON.stringify(error)}`);
    userIds.push(data.data.id);
  }

  const app = await api.POST('/api/v1/admin/applications/', {
    body: { name: `Timesheets ${runId}`, application_type: 'web', tenant_id: tenant.id, redirect_uris: ['https://timesheets.example.com/callback'] },
  });
  check(app.data, `create application: ${JSON.stringify(app.error)}`);
  check(app.response.headers.get('cache-control') === 'no-store', 'the secret is not cached');
  const application = app.data.data;
  console.log(`application ${application.name} (${application.scope}), client_id ${application.client_id}`);

  // Assign: one user, then bulk for the next (all or nothing).
  const one = await api.POST('/api/v1/tenants/{tenant_id}/users/{user_id}/applications', {
    params: { path: { ...tenantPath, user_id: userIds[0] } },
    body: { application_id: application.id },
  });
  check(one.response.status === 201 && one.data, `assign: ${JSON.stringify(one.error)}`);
  const bulk = await api.POST('/api/v1/tenants/{tenant_id}/users/{user_id}/applications/bulk', {
    params: { path: { ...tenantPath, user_id: userIds[1] } },
    body: { application_ids: [application.id] },
  });
  check(bulk.data?.data.assigned.length === 1, `bulk assign: ${JSON.stringify(bulk.error)}`);

  // Effective users, one per page, typed query parameters.
  const emails: string[] = [];
  for (let page = 1; ; page += 1) {
    const { data, error } = await api.GET('/api/v1/tenants/{tenant_id}/applications/{application_id}/effective-users', {
      params: { path: { ...tenantPath, application_id: application.id }, query: { page, per_page: 1 } },
    });
    check(data, `effective users: ${JSON.stringify(error)}`);
    for (const user of data.data) {
      console.log(`  page ${data.pagination.page}/${data.pagination.total_pages}: ${user.email} (${user.direct ? 'direct' : 'via groups'})`);
      emails.push(user.email);
    }
    if (page >= data.pagination.total_pages) break;
  }
  check(JSON.stringify(emails) === JSON.stringify(['amir@rest-example.test', 'bea@rest-example.test']), `effective users ${emails.join(', ')}`);

  // Conditional GET: the ETag covers the data, so an unchanged tenant answers 304 without a body.
  const read = await api.GET('/api/v1/admin/tenants/{tenant_id}', { params: { path: tenantPath } });
  const etag = read.response.headers.get('etag');
  check(etag, 'an ETag');
  const again = await api.GET('/api/v1/admin/tenants/{tenant_id}', { params: { path: tenantPath }, headers: { 'if-none-match': etag } });
  check(again.response.status === 304, `304 for an unchanged tenant, got ${again.response.status}`);
  console.log(`tenant unchanged: 304 for ${etag}`);

  // Typed errors: a 422 lists every bad field.
  const bad = await api.POST('/api/v1/tenants/{tenant_id}/users', { params: { path: tenantPath }, body: { email: '', status: 'disabled' } });
  check(bad.response.status === 422 && bad.error && 'detail' in bad.error, `422 for an empty email, got ${bad.response.status}`);
  console.log(`empty email → 422 ${JSON.stringify(bad.error.detail)}`);

  // Rotate the secret, then exchange it for an application token at /oauth/token (form-encoded, as OAuth clients do).
  const rotated = await api.POST('/api/v1/admin/applications/{application_id}/rotate-secret', { params: { path: { application_id: application.id } } });
  check(rotated.data, `rotate: ${JSON.stringify(rotated.error)}`);
  const issued = await api.POST('/oauth/token', {
    body: { grant_type: 'client_credentials', client_id: rotated.data.data.client_id, client_secret: rotated.data.data.client_secret },
    bodySerializer: (body) => new URLSearchParams(body as Record<string, string>),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  check(issued.data, `token: ${JSON.stringify(issued.error)}`);
  // The application token reads its own application and effective users, nothing else.
  const asApp = await api.GET('/api/v1/admin/applications/{application_id}/effective-users', {
    params: { path: { application_id: application.id } },
    headers: { authorization: `Bearer ${issued.data.access_token}` },
  });
  check(asApp.data?.pagination.total_items === 2, `the application's own effective users: ${JSON.stringify(asApp.error)}`);
  const denied = await api.GET('/api/v1/admin/tenants/', { headers: { authorization: `Bearer ${issued.data.access_token}` } });
  check(denied.response.status === 403, `an application token may not list tenants, got ${denied.response.status}`);
  console.log(`application token (${issued.data.expires_in} s): own effective users ${asApp.data.pagination.total_items}, tenants → ${denied.response.status}`);
  console.log('REST example: ok');
});
