import { ok, type TestGateway } from './harness.js';

/**
 * A small world built through GraphQL as a super admin: two partners, tenants under them, users,
 * groups and applications of each scope. Tests add what they need on top.
 */
export interface World {
  p1: string;
  p2: string;
  /** Tenants: t1a and t1b under p1, t2 under p2, t0 without partner. */
  t1a: string;
  t1b: string;
  t2: string;
  t0: string;
  apps: { global: string; p1: string; p2: string; t1a: string; t1b: string; t2: string };
}

export async function gqlAs(gw: TestGateway, token: string, query: string, variables?: Record<string, unknown>) {
  return ok(await gw.gql(query, variables, token));
}

export async function createPartner(gw: TestGateway, token: string, name: string): Promise<string> {
  return (await gqlAs(gw, token, 'mutation($n: String!) { createPartner(input: { name: $n }) { id } }', { n: name })).createPartner.id;
}

export async function createTenant(gw: TestGateway, token: string, name: string, partnerId?: string): Promise<string> {
  return (await gqlAs(gw, token, 'mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }', { i: { name, partnerId } })).createTenant.id;
}

export async function createApplication(
  gw: TestGateway,
  token: string,
  input: { name: string; scope: string; partnerId?: string; tenantId?: string; applicationType?: string },
): Promise<{ id: string; clientId: string; clientSecret: string }> {
  const data = await gqlAs(gw, token, 'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { clientSecret application { id clientId } } }', {
    i: { applicationType: 'web', ...input },
  });
  return { id: data.createApplication.application.id, clientId: data.createApplication.application.clientId, clientSecret: data.createApplication.clientSecret };
}

export async function createUser(gw: TestGateway, token: string, tenantId: string, email: string, extra: Record<string, unknown> = {}): Promise<string> {
  return (
    await gqlAs(gw, token, 'mutation($t: ID!, $i: CreateUserInput!) { createUser(tenantId: $t, input: $i) { id } }', {
      t: tenantId,
      i: { email, name: email.split('@')[0], ...extra },
    })
  ).createUser.id;
}

export async function createGroup(gw: TestGateway, token: string, tenantId: string, name: string): Promise<string> {
  return (await gqlAs(gw, token, 'mutation($t: ID!, $n: String!) { createGroup(tenantId: $t, input: { name: $n }) { id } }', { t: tenantId, n: name })).createGroup.id;
}

export async function addMember(gw: TestGateway, token: string, tenantId: string, groupId: string, userId: string): Promise<void> {
  await gqlAs(gw, token, 'mutation($t: ID!, $g: ID!, $u: ID!) { addGroupMember(tenantId: $t, groupId: $g, userId: $u) { id } }', {
    t: tenantId,
    g: groupId,
    u: userId,
  });
}

export async function assignUser(gw: TestGateway, token: string, tenantId: string, userId: string, applicationId: string): Promise<void> {
  await gqlAs(gw, token, 'mutation($t: ID!, $u: ID!, $a: ID!) { assignApplicationToUser(tenantId: $t, userId: $u, applicationId: $a) { id } }', {
    t: tenantId,
    u: userId,
    a: applicationId,
  });
}

export async function assignGroup(gw: TestGateway, token: string, tenantId: string, groupId: string, applicationId: string): Promise<void> {
  await gqlAs(gw, token, 'mutation($t: ID!, $g: ID!, $a: ID!) { assignApplicationToGroup(tenantId: $t, groupId: $g, applicationId: $a) { id } }', {
    t: tenantId,
    g: groupId,
    a: applicationId,
  });
}

export async function buildWorld(gw: TestGateway): Promise<World> {
  const su = await gw.superToken();
  const p1 = await createPartner(gw, su, 'Partner One');
  const p2 = await createPartner(gw, su, 'Partner Two');
  const t1a = await createTenant(gw, su, 'Tenant 1A', p1);
  const t1b = await createTenant(gw, su, 'Tenant 1B', p1);
  const t2 = await createTenant(gw, su, 'Tenant 2', p2);
  const t0 = await createTenant(gw, su, 'Tenant Zero');
  const apps = {
    global: (await createApplication(gw, su, { name: 'Global App', scope: 'GLOBAL' })).id,
    p1: (await createApplication(gw, su, { name: 'P1 App', scope: 'PARTNER', partnerId: p1 })).id,
    p2: (await createApplication(gw, su, { name: 'P2 App', scope: 'PARTNER', partnerId: p2 })).id,
    t1a: (await createApplication(gw, su, { name: 'T1A App', scope: 'TENANT', tenantId: t1a })).id,
    t1b: (await createApplication(gw, su, { name: 'T1B App', scope: 'TENANT', tenantId: t1b })).id,
    t2: (await createApplication(gw, su, { name: 'T2 App', scope: 'TENANT', tenantId: t2 })).id,
  };
  return { p1, p2, t1a, t1b, t2, t0, apps };
}

/** A tenant whose group of three users holds a GLOBAL application, with a super admin's and the tenant admin's tokens (the hot-read tests). */
export interface GroupAccessWorld {
  tenant: string;
  app: string;
  superToken: string;
  tenantAdminToken: string;
}

export async function groupAccessWorld(gw: TestGateway, label: string): Promise<GroupAccessWorld> {
  const superToken = await gw.superToken();
  const tenant = await createTenant(gw, superToken, label);
  const app = (await createApplication(gw, superToken, { name: `${label} App`, scope: 'GLOBAL' })).id;
  const group = await createGroup(gw, superToken, tenant, `${label} readers`);
  const domain = `${label.toLowerCase()}.test`;
  for (const n of [1, 2, 3]) await addMember(gw, superToken, tenant, group, await createUser(gw, superToken, tenant, `reader${n}@${domain}`));
  await assignGroup(gw, superToken, tenant, group, app);
  const tenantAdminToken = await gw.token({ sub: `${label.toLowerCase()}-tenant`, role: 'tenant_admin', tenant_id: tenant, scope: 'admin:read' });
  return { tenant, app, superToken, tenantAdminToken };
}
