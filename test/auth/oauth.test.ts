import { decodeJwt } from 'jose';
import { codeOf, ok, startTestGateway, type TestGateway } from '../support/harness.js';
import { assignUser, buildWorld, createApplication, createPartner, createTenant, createUser, gqlAs, type World } from '../support/world.js';

/** POST /oauth/token (SPEC §3, RFC 6749 §4.4 / §5.2) and what application tokens may do. */
describe('POST /oauth/token and application tokens', () => {
  let gw: TestGateway;
  let su: string;
  let w: World;
  let app: { id: string; clientId: string; clientSecret: string };
  let mgmt: { id: string; clientId: string; clientSecret: string };
  let u1a: string;

  const tokenRequest = () => gw.http.post('/oauth/token');
  const form = (body: Record<string, string>) => tokenRequest().type('form').send(body);
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const tokenFor = async (credentials: { clientId: string; clientSecret: string }) => {
    const res = await form({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret });
    expect(res.status).toBe(200);
    return res.body.access_token as string;
  };

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    w = await buildWorld(gw);
    app = await createApplication(gw, su, { name: 'Service 1A', scope: 'TENANT', tenantId: w.t1a, applicationType: 'service' });
    mgmt = await createApplication(gw, su, { name: 'Mgmt 1A', scope: 'TENANT', tenantId: w.t1a, applicationType: 'management' });
    u1a = await createUser(gw, su, w.t1a, 'u1a@t1a.test');
    const u2 = await createUser(gw, su, w.t2, 'u2@t2.test');
    await assignUser(gw, su, w.t1a, u1a, app.id);
    await assignUser(gw, su, w.t2, u2, w.apps.global);
  });
  afterAll(() => gw.close());

  describe('the token endpoint', () => {
    it('form-encoded client_credentials → 200 {access_token, token_type: Bearer, expires_in}', async () => {
      const res = await form({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
      expect(res.headers['cache-control']).toBe('no-store');
      const claims = decodeJwt(res.body.access_token);
      expect(claims).toMatchObject({ sub: app.id, client_id: app.clientId });
      expect(claims.exp! - claims.iat!).toBe(3600);
      expect(claims.role).toBeUndefined();
    });

    it('JSON body → 200', async () => {
      const res = await tokenRequest().send({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret });
      expect(res.status).toBe(200);
      expect(res.body.token_type).toBe('Bearer');
    });

    it('HTTP Basic client authentication → 200', async () => {
      const res = await tokenRequest().type('form').set('authorization', basic(app.clientId, app.clientSecret)).send({ grant_type: 'client_credentials' });
      expect(res.status).toBe(200);
      expect(decodeJwt(res.body.access_token).sub).toBe(app.id);
    });

    it('a management application gets admin:read admin:write', async () => {
      const res = await form({ grant_type: 'client_credentials', client_id: mgmt.clientId, client_secret: mgmt.clientSecret });
      expect(res.status).toBe(200);
      expect(decodeJwt(res.body.access_token)).toMatchObject({ sub: mgmt.id, scope: 'admin:read admin:write' });
    });

    it.each([
      ['wrong secret (form)', () => form({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: 'wrong' })],
      ['unknown client_id', () => form({ grant_type: 'client_credentials', client_id: 'idg_000000000000000000000000', client_secret: app.clientSecret })],
      ["another application's secret", () => form({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: mgmt.clientSecret })],
      ['wrong secret (JSON)', () => tokenRequest().send({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: `${app.clientSecret}x` })],
      ['wrong secret (Basic)', () => tokenRequest().type('form').set('authorization', basic(app.clientId, 'nope')).send({ grant_type: 'client_credentials' })],
      [
        'Basic with broken percent-encoding',
        () =>
          tokenRequest()
            .type('form')
            .set('authorization', `Basic ${Buffer.from('%E0%A4%A:%zz').toString('base64')}`)
            .send({ grant_type: 'client_credentials' }),
      ],
    ])('%s → 401 {"error":"invalid_client"}', async (_name, send) => {
      const res = await send();
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'invalid_client' });
      expect(JSON.stringify(res.body)).not.toContain(app.clientSecret);
    });

    it.each([
      ['missing grant_type', 'invalid_request', () => form({ client_id: app.clientId, client_secret: app.clientSecret })],
      ['empty body', 'invalid_request', () => tokenRequest().type('form').send('')],
      ['missing client_secret', 'invalid_request', () => form({ grant_type: 'client_credentials', client_id: app.clientId })],
      ['missing credentials', 'invalid_request', () => form({ grant_type: 'client_credentials' })],
      ['client_id of the wrong type (JSON)', 'invalid_request', () => tokenRequest().send({ grant_type: 'client_credentials', client_id: 42, client_secret: 'x' })],
      ['grant_type=password', 'unsupported_grant_type', () => form({ grant_type: 'password', client_id: app.clientId, client_secret: app.clientSecret })],
      ['grant_type=authorization_code', 'unsupported_grant_type', () => tokenRequest().send({ grant_type: 'authorization_code', code: 'x' })],
      ['malformed JSON', 'invalid_request', () => tokenRequest().set('content-type', 'application/json').send('{"grant_type": "client_credentials",')],
    ])('%s → 400 {"error":"%s"}', async (_name, error, send) => {
      const res = await send();
      expect({ status: res.status, type: res.headers['content-type'], error: res.body?.error }).toEqual({
        status: 400,
        type: expect.stringContaining('application/json'),
        error,
      });
    });

    it('rotate-secret invalidates the old secret at once', async () => {
      const rotating = await createApplication(gw, su, { name: 'Rotating', scope: 'GLOBAL', applicationType: 'service' });
      expect((await form({ grant_type: 'client_credentials', client_id: rotating.clientId, client_secret: rotating.clientSecret })).status).toBe(200);
      const rotated = (await gqlAs(gw, su, 'mutation($id: ID!) { rotateApplicationSecret(id: $id) { id clientId clientSecret rotatedAt } }', { id: rotating.id }))
        .rotateApplicationSecret;
      expect(rotated).toMatchObject({ id: rotating.id, clientId: rotating.clientId });
      expect(rotated.clientSecret).not.toBe(rotating.clientSecret);
      const old = await form({ grant_type: 'client_credentials', client_id: rotating.clientId, client_secret: rotating.clientSecret });
      expect({ status: old.status, error: old.body.error }).toEqual({ status: 401, error: 'invalid_client' });
      const fresh = await form({ grant_type: 'client_credentials', client_id: rotating.clientId, client_secret: rotated.clientSecret });
      expect(fresh.status).toBe(200);
    });
  });

  describe('an ordinary application token', () => {
    let token: string;
    beforeAll(async () => {
      token = await tokenFor(app);
    });

    it('is an application viewer without admin scopes', async () => {
      expect(ok(await gw.gql('{ me { kind applicationId scopes } }', {}, token)).me).toEqual({ kind: 'application', applicationId: app.id, scopes: [] });
    });

    it('reads its own application', async () => {
      expect(ok(await gw.gql('query($id: ID!) { application(id: $id) { id name } }', { id: app.id }, token)).application).toEqual({ id: app.id, name: 'Service 1A' });
    });

    it('reads its own effective users without admin:read (root field and nested)', async () => {
      const root = ok(await gw.gql('query($a: ID!) { effectiveUsers(applicationId: $a) { items { email } pagination { totalItems } } }', { a: app.id }, token));
      expect(root.effectiveUsers).toEqual({ items: [{ email: 'u1a@t1a.test' }], pagination: expect.objectContaining({ totalItems: 1 }) });
      const nested = ok(await gw.gql('query($id: ID!) { application(id: $id) { effectiveUserCount effectiveUsers { items { email } } } }', { id: app.id }, token));
      expect(nested.application).toEqual({ effectiveUserCount: 1, effectiveUsers: { items: [{ email: 'u1a@t1a.test' }] } });
    });

    it('filters its own effective users by tenant', async () => {
      const res = ok(await gw.gql('query($a: ID!, $t: ID) { effectiveUsers(applicationId: $a, tenantId: $t) { items { email } } }', { a: app.id, t: w.t1a }, token));
      expect(res.effectiveUsers.items).toEqual([{ email: 'u1a@t1a.test' }]);
      const other = await gw.gql('query($a: ID!, $t: ID) { effectiveUsers(applicationId: $a, tenantId: $t) { items { email } } }', { a: app.id, t: w.t2 }, token);
      expect(other.data?.effectiveUsers.items ?? []).toEqual([]);
      const nowhere = await gw.gql(
        'query($a: ID!, $t: ID) { effectiveUsers(applicationId: $a, tenantId: $t) { items { email } } }',
        { a: app.id, t: '00000000-0000-4000-8000-000000000000' },
        token,
      );
      // An existing tenant and a nonexistent one answer alike: the filter reveals nothing.
      expect(nowhere).toEqual(other);
    });

    it('another application → NOT_FOUND (application and its effective users)', async () => {
      expect(codeOf(await gw.gql('query($id: ID!) { application(id: $id) { id } }', { id: w.apps.global }, token))).toBe('NOT_FOUND');
      expect(codeOf(await gw.gql('query($a: ID!) { effectiveUsers(applicationId: $a) { items { email } } }', { a: w.apps.global }, token))).toBe('NOT_FOUND');
      expect(codeOf(await gw.gql('query($id: ID!) { application(id: $id) { id } }', { id: mgmt.id }, token))).toBe('NOT_FOUND');
    });

    it.each([
      ['applications', '{ applications { items { id } } }', {}],
      ['tenants', '{ tenants { items { id } } }', {}],
      ['partners', '{ partners { items { id } } }', {}],
      ['users', 'query($t: ID!) { users(tenantId: $t) { items { id } } }', 'T1A'],
      ['auditEvents', '{ auditEvents { items { id } } }', {}],
      ['createUser', 'mutation($t: ID!) { createUser(tenantId: $t, input: { email: "x@t1a.test" }) { id } }', 'T1A'],
      ['updateApplication (itself)', 'mutation($id: ID!) { updateApplication(id: $id, input: { name: "Mine" }) { id } }', 'SELF'],
      ['rotateApplicationSecret (itself)', 'mutation($id: ID!) { rotateApplicationSecret(id: $id) { id } }', 'SELF'],
    ])('%s → FORBIDDEN', async (_name, query, vars) => {
      const variables = vars === 'T1A' ? { t: w.t1a } : vars === 'SELF' ? { id: app.id } : {};
      expect(codeOf(await gw.gql(query, variables, token))).toBe('FORBIDDEN');
    });
  });

  describe('a management application token', () => {
    let token: string;
    beforeAll(async () => {
      token = await tokenFor(mgmt);
    });

    it('acts as tenant admin of its tenant with read and write', async () => {
      expect(ok(await gw.gql('{ me { kind tenantId partnerId applicationId scopes } }', {}, token)).me).toEqual({
        kind: 'tenant_admin',
        tenantId: w.t1a,
        partnerId: w.p1,
        applicationId: mgmt.id,
        scopes: ['admin:read', 'admin:write'],
      });
    });

    it('creates users in its tenant, and the audit log names the management application as actor', async () => {
      const created = ok(await gw.gql('mutation($t: ID!) { createUser(tenantId: $t, input: { email: "made-by-mgmt@t1a.test" }) { id tenantId } }', { t: w.t1a }, token));
      expect(created.createUser.tenantId).toBe(w.t1a);
      const events = ok(await gw.gql('query($id: ID!) { auditEvents(filter: { targetId: $id }) { items { actorType actorId action } } }', { id: created.createUser.id }, su));
      expect(events.auditEvents.items).toEqual([{ actorType: 'management_application', actorId: mgmt.id, action: 'user.create' }]);
    });

    it('is NOT_FOUND in other tenants and FORBIDDEN for what a tenant admin may not do', async () => {
      expect(codeOf(await gw.gql('mutation($t: ID!) { createUser(tenantId: $t, input: { email: "x@t2.test" }) { id } }', { t: w.t2 }, token))).toBe('NOT_FOUND');
      expect(codeOf(await gw.gql('mutation($t: ID!) { createUser(tenantId: $t, input: { email: "x@t1b.test" }) { id } }', { t: w.t1b }, token))).toBe('NOT_FOUND');
      expect(codeOf(await gw.gql('query($id: ID!) { tenant(id: $id) { id } }', { id: w.t2 }, token))).toBe('NOT_FOUND');
      expect(codeOf(await gw.gql('mutation { createTenant(input: { name: "By Mgmt" }) { id } }', {}, token))).toBe('FORBIDDEN');
      expect(codeOf(await gw.gql('mutation($id: ID!) { updateApplication(id: $id, input: { name: "x" }) { id } }', { id: w.apps.p1 }, token))).toBe('FORBIDDEN');
      expect(codeOf(await gw.gql('mutation($id: ID!) { deleteTenant(id: $id) }', { id: w.t1a }, token))).toBe('FORBIDDEN');
    });
  });

  describe('tokens of applications that are gone', () => {
    const meOf = async (token: string) => {
      const res = await gw.http.post('/graphql').set('authorization', `Bearer ${token}`).send({ query: '{ me { kind } }' });
      return { status: res.status, code: res.body.errors?.[0]?.extensions?.code ?? null };
    };

    it("a deleted application's token stops working, and it gets no new one", async () => {
      const doomed = await createApplication(gw, su, { name: 'Doomed', scope: 'GLOBAL', applicationType: 'service' });
      const token = await tokenFor(doomed);
      expect(await meOf(token)).toEqual({ status: 200, code: null });
      await gqlAs(gw, su, 'mutation($id: ID!) { deleteApplication(id: $id) }', { id: doomed.id });
      expect(await meOf(token)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      const again = await form({ grant_type: 'client_credentials', client_id: doomed.clientId, client_secret: doomed.clientSecret });
      expect({ status: again.status, error: again.body.error }).toEqual({ status: 401, error: 'invalid_client' });
    });

    it("a deleted management application's token stops acting as tenant admin", async () => {
      const doomed = await createApplication(gw, su, { name: 'Doomed Mgmt', scope: 'TENANT', tenantId: w.t1b, applicationType: 'management' });
      const token = await tokenFor(doomed);
      expect(await meOf(token)).toEqual({ status: 200, code: null });
      await gqlAs(gw, su, 'mutation($t: ID!, $id: ID!) { deleteManagementApplication(tenantId: $t, id: $id) }', { t: w.t1b, id: doomed.id });
      expect(await meOf(token)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    });

    it('the token of a TENANT application stops working when its tenant is deleted', async () => {
      const tenant = await createTenant(gw, su, 'Short-lived', w.p1);
      const doomed = await createApplication(gw, su, { name: 'In short-lived', scope: 'TENANT', tenantId: tenant, applicationType: 'service' });
      const token = await tokenFor(doomed);
      await gqlAs(gw, su, 'mutation($id: ID!) { deleteTenant(id: $id) }', { id: tenant });
      expect(await meOf(token)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    });

    it('the token of a PARTNER application stops working when its partner is deleted', async () => {
      const partner = await createPartner(gw, su, 'Short-lived Partner');
      const doomed = await createApplication(gw, su, { name: 'Of short-lived partner', scope: 'PARTNER', partnerId: partner, applicationType: 'service' });
      const token = await tokenFor(doomed);
      expect(await meOf(token)).toEqual({ status: 200, code: null });
      await gqlAs(gw, su, 'mutation($id: ID!) { deletePartner(id: $id) }', { id: partner });
      expect(await meOf(token)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    });
  });
});
