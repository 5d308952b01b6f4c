import { codeOf, ok, startTestGateway, type GraphQLResult, type TestGateway } from './support/harness.js';
import { createApplication, createPartner, createTenant } from './support/world.js';
import { applicationToken, RW } from './auth/fixtures.js';

/**
 * Tokens follow the current state (issue 8): an application token's powers are those of the
 * application type it was issued for, and it stops working when that type changes or the secret is
 * rotated; a partner admin's partner must be live.
 */
const ME = '{ me { kind applicationId tenantId } }';
const CREATE_USER = 'mutation($t: ID!, $e: String!) { createUser(tenantId: $t, input: { email: $e }) { id } }';
const SET_TYPE = 'mutation($id: ID!, $type: ApplicationType!) { updateApplication(id: $id, input: { applicationType: $type }) { applicationType } }';
const ROTATE = 'mutation($id: ID!) { rotateApplicationSecret(id: $id) { clientSecret } }';

function expectUnauthenticated(result: GraphQLResult) {
  expect({ status: result.status, code: codeOf(result) }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
}

describe('tokens follow the current state', () => {
  let gw: TestGateway;
  let su: string;
  let tenant: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    tenant = await createTenant(gw, su, 'Token State');
  });
  afterAll(() => gw.close());

  it('a service application turned management: its old token gains nothing (401), a new one acts as tenant admin', async () => {
    const app = await createApplication(gw, su, { name: 'Plain Service', scope: 'TENANT', tenantId: tenant, applicationType: 'service' });
    const old = await applicationToken(gw, app.clientId, app.clientSecret);
    expect(ok(await gw.gql(ME, {}, old)).me).toEqual({ kind: 'application', applicationId: app.id, tenantId: null });
    ok(await gw.gql(SET_TYPE, { id: app.id, type: 'management' }, su));

    expectUnauthenticated(await gw.gql(CREATE_USER, { t: tenant, e: 'upgrade@state.test' }, old));
    expectUnauthenticated(await gw.gql(ME, {}, old));

    const fresh = await applicationToken(gw, app.clientId, app.clientSecret);
    expect(ok(await gw.gql(ME, {}, fresh)).me).toEqual({ kind: 'tenant_admin', applicationId: app.id, tenantId: tenant });
    ok(await gw.gql(CREATE_USER, { t: tenant, e: 'fresh@state.test' }, fresh));
  });

  it('a management application turned service: its old token loses the admin powers (401)', async () => {
    const app = await createApplication(gw, su, { name: 'Former Manager', scope: 'TENANT', tenantId: tenant, applicationType: 'management' });
    const old = await applicationToken(gw, app.clientId, app.clientSecret);
    ok(await gw.gql(CREATE_USER, { t: tenant, e: 'before@state.test' }, old));
    ok(await gw.gql(SET_TYPE, { id: app.id, type: 'service' }, su));
    expectUnauthenticated(await gw.gql(CREATE_USER, { t: tenant, e: 'after@state.test' }, old));
    const fresh = await applicationToken(gw, app.clientId, app.clientSecret);
    expect(ok(await gw.gql(ME, {}, fresh)).me.kind).toBe('application');
  });

  it("a deleted partner's admin token stops working (401), like a deleted tenant's", async () => {
    const partner = await createPartner(gw, su, 'Short-lived Partner');
    const admin = await gw.token({ sub: 'pa-gone', role: 'partner_admin', partner_id: partner, scope: RW });
    ok(await gw.gql(ME, {}, admin));
    ok(await gw.gql('mutation($id: ID!) { deletePartner(id: $id) }', { id: partner }, su));
    expectUnauthenticated(await gw.gql(ME, {}, admin));
    expectUnauthenticated(await gw.gql('mutation { createTenant(input: { name: "Under a ghost" }) { id } }', {}, admin));
  });

  it('a token of a partner that never existed is 401', async () => {
    const admin = await gw.token({ sub: 'pa-none', role: 'partner_admin', partner_id: '00000000-0000-4000-8000-000000000000', scope: RW });
    expectUnauthenticated(await gw.gql(ME, {}, admin));
  });

  it('after rotate-secret, tokens issued before it are 401 at once (even within the same second); a new token works', async () => {
    const app = await createApplication(gw, su, { name: 'Rotating', scope: 'TENANT', tenantId: tenant, applicationType: 'service' });
    const before = await applicationToken(gw, app.clientId, app.clientSecret);
    ok(await gw.gql(ME, {}, before));
    const { clientSecret } = ok(await gw.gql(ROTATE, { id: app.id }, su)).rotateApplicationSecret;
    expectUnauthenticated(await gw.gql(ME, {}, before));
    const after = await applicationToken(gw, app.clientId, clientSecret);
    expect(ok(await gw.gql(ME, {}, after)).me.applicationId).toBe(app.id);
    // Rotating again right away (same `iat` second as `after`) still retires `after`.
    const { clientSecret: third } = ok(await gw.gql(ROTATE, { id: app.id }, su)).rotateApplicationSecret;
    expectUnauthenticated(await gw.gql(ME, {}, after));
    ok(await gw.gql(ME, {}, await applicationToken(gw, app.clientId, third)));
  });

  it('a management token of a rotated application is 401 too', async () => {
    const app = await createApplication(gw, su, { name: 'Rotating Manager', scope: 'TENANT', tenantId: tenant, applicationType: 'management' });
    const before = await applicationToken(gw, app.clientId, app.clientSecret);
    ok(await gw.gql(CREATE_USER, { t: tenant, e: 'mgmt-before@state.test' }, before));
    ok(await gw.gql(ROTATE, { id: app.id }, su));
    expectUnauthenticated(await gw.gql(CREATE_USER, { t: tenant, e: 'mgmt-after@state.test' }, before));
  });

  it('each request looks its token up once: an application token costs one statement before the query', async () => {
    const app = await createApplication(gw, su, { name: 'Counted', scope: 'TENANT', tenantId: tenant, applicationType: 'service' });
    const token = await applicationToken(gw, app.clientId, app.clientSecret);
    const partner = await createPartner(gw, su, 'Counted Partner');
    const admin = await gw.token({ sub: 'pa-counted', role: 'partner_admin', partner_id: partner, scope: RW });
    const superCount = (await gw.gql('{ __typename me { kind } }', {}, su)).sqlStatements;
    expect((await gw.gql('{ __typename me { kind } }', {}, token)).sqlStatements).toBe(superCount + 1);
    expect((await gw.gql('{ __typename me { kind } }', {}, admin)).sqlStatements).toBe(superCount + 1);
  });
});
