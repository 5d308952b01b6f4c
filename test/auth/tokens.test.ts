import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from '../support/harness.js';
import { createTenant, gqlAs } from '../support/world.js';
import { applicationToken, RW } from './fixtures.js';

/**
 * SPEC §3 authentication / issue 3 point 1: every way a bearer token can be wrong → HTTP 401 with an
 * UNAUTHENTICATED error on /graphql; HS256 with JWT_SECRET, and RS256/ES256 against a JWKS.
 */
const ME = '{ me { kind subject partnerId tenantId scopes } }';
const DATA = '{ tenants { items { id } } }';
const secret = new TextEncoder().encode(TEST_JWT_SECRET);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** An HS256 token with exactly the claims given (no defaults), signed with `key`. */
function hs256(claims: Record<string, unknown>, key: Uint8Array = secret, alg = 'HS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
}

async function post(gw: TestGateway, query: string, authorization?: string) {
  const request = gw.http.post('/graphql').set('content-type', 'application/json');
  if (authorization !== undefined) request.set('authorization', authorization);
  const res = await request.send({ query });
  return { status: res.status, body: res.body };
}

function expectUnauthenticated(res: { status: number; body: any }) {
  expect({ status: res.status, code: res.body.errors?.[0]?.extensions?.code, data: res.body.data ?? null }).toEqual({
    status: 401,
    code: 'UNAUTHENTICATED',
    data: null,
  });
}

describe('token verification, HS256 (SPEC §3)', () => {
  let gw: TestGateway;
  let t1: string;
  let deletedTenant: string;
  let p1: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    const su = await gw.superToken();
    p1 = (await gqlAs(gw, su, 'mutation { createPartner(input: { name: "Token Partner" }) { id } }')).createPartner.id;
    t1 = await createTenant(gw, su, 'Token Tenant', p1);
    deletedTenant = await createTenant(gw, su, 'Gone Tenant', p1);
    await gqlAs(gw, su, 'mutation($id: ID!) { deleteTenant(id: $id) }', { id: deletedTenant });
  });
  afterAll(() => gw.close());

  const valid = (extra: Record<string, unknown> = {}) => ({ sub: 'admin-1', role: 'super_admin', scope: RW, exp: now() + 600, ...extra });

  it('a valid token is accepted', async () => {
    const res = await post(gw, ME, `Bearer ${await hs256(valid())}`);
    expect(res.status).toBe(200);
    expect(res.body.data.me).toEqual({ kind: 'super_admin', subject: 'admin-1', partnerId: null, tenantId: null, scopes: ['admin:read', 'admin:write'] });
  });

  it('the scheme is case-insensitive ("bearer")', async () => {
    const res = await post(gw, ME, `bearer ${await hs256(valid())}`);
    expect(res.status).toBe(200);
  });

  it('missing token on a data field → 401 UNAUTHENTICATED', async () => {
    expectUnauthenticated(await post(gw, DATA));
  });

  it('missing token on `me` → 401 UNAUTHENTICATED', async () => {
    expectUnauthenticated(await post(gw, ME));
  });

  it('without a token, a query of no data field (__typename) still answers', async () => {
    const res = await post(gw, '{ __typename }');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ __typename: 'Query' });
  });

  const failures: [string, () => Promise<string>][] = [
    ['malformed header: Basic scheme', async () => 'Basic dXNlcjpwYXNz'],
    ['malformed header: "Bearer" alone', async () => 'Bearer'],
    ['malformed header: two tokens', async () => `Bearer ${await hs256(valid())} ${await hs256(valid())}`],
    ['malformed header: token without scheme', async () => hs256(valid())],
    ['garbage token', async () => 'Bearer not-a-jwt'],
    ['garbage token in JWT shape', async () => 'Bearer aaaa.bbbb.cccc'],
    ['expired', async () => `Bearer ${await hs256(valid({ exp: now() - 120 }))}`],
    ['not yet valid (nbf in the future)', async () => `Bearer ${await hs256(valid({ nbf: now() + 3600 }))}`],
    ['wrong signature (other secret)', async () => `Bearer ${await hs256(valid(), new TextEncoder().encode('another-secret-of-enough-length-000'))}`],
    [
      'tampered payload',
      async () => {
        const [h, , s] = (await hs256(valid({ role: 'tenant_admin', tenant_id: randomUUID() }))).split('.');
        return `Bearer ${h}.${b64(valid())}.${s}`;
      },
    ],
    ['alg none', async () => `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(valid())}.`],
    ['alg HS384 (not an accepted algorithm)', async () => `Bearer ${await hs256(valid(), secret, 'HS384')}`],
    ['no exp', async () => `Bearer ${await hs256({ sub: 'admin-1', role: 'super_admin', scope: RW })}`],
    ['no sub', async () => `Bearer ${await hs256({ role: 'super_admin', scope: RW, exp: now() + 600 })}`],
    ['unknown role', async () => `Bearer ${await hs256(valid({ role: 'root' }))}`],
    ['role of the wrong type', async () => `Bearer ${await hs256(valid({ role: ['super_admin'] }))}`],
    ['partner_admin without partner_id', async () => `Bearer ${await hs256(valid({ role: 'partner_admin' }))}`],
    ['partner_admin with a partner_id that is no UUID', async () => `Bearer ${await hs256(valid({ role: 'partner_admin', partner_id: 'p1' }))}`],
    ['tenant_admin without tenant_id', async () => `Bearer ${await hs256(valid({ role: 'tenant_admin' }))}`],
    ['tenant_admin of a nonexistent tenant', async () => `Bearer ${await hs256(valid({ role: 'tenant_admin', tenant_id: randomUUID() }))}`],
    ['tenant_admin of a deleted tenant', async () => `Bearer ${await hs256(valid({ role: 'tenant_admin', tenant_id: deletedTenant }))}`],
    ['partner_admin of a nonexistent partner', async () => `Bearer ${await hs256(valid({ role: 'partner_admin', partner_id: randomUUID() }))}`],
    ['no role and no client_id (neither admin nor application)', async () => `Bearer ${await hs256({ sub: randomUUID(), scope: RW, exp: now() + 600 })}`],
    ['application-shaped token of no application', async () => `Bearer ${await hs256({ sub: randomUUID(), client_id: 'idg_nothing', exp: now() + 600 })}`],
  ];

  it.each(failures)('%s → 401 UNAUTHENTICATED (data field)', async (_name, header) => {
    expectUnauthenticated(await post(gw, DATA, await header()));
  });

  it.each(failures)('%s → 401 UNAUTHENTICATED (me)', async (_name, header) => {
    expectUnauthenticated(await post(gw, ME, await header()));
  });

  it('the error message does not echo the token', async () => {
    const token = await hs256(valid({ exp: now() - 120 }));
    const res = await post(gw, ME, `Bearer ${token}`);
    expect(JSON.stringify(res.body)).not.toContain(token);
  });

  it("a tenant admin token carries its tenant and the tenant's partner", async () => {
    const res = await post(gw, ME, `Bearer ${await hs256(valid({ role: 'tenant_admin', tenant_id: t1, sub: 'ta' }))}`);
    expect(res.body.data.me).toMatchObject({ kind: 'tenant_admin', tenantId: t1, partnerId: p1 });
  });

  it('a tenant admin token stops working when its tenant is deleted', async () => {
    const su = await gw.superToken();
    const doomed = await createTenant(gw, su, 'Doomed Tenant', p1);
    const header = `Bearer ${await hs256(valid({ role: 'tenant_admin', tenant_id: doomed }))}`;
    expect((await post(gw, ME, header)).status).toBe(200);
    await gqlAs(gw, su, 'mutation($id: ID!) { deleteTenant(id: $id) }', { id: doomed });
    expectUnauthenticated(await post(gw, ME, header));
  });

  it('an admin token without admin:read is authenticated but FORBIDDEN on reads', async () => {
    const res = await post(gw, DATA, `Bearer ${await hs256(valid({ scope: '' }))}`);
    expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const me = await post(gw, ME, `Bearer ${await hs256(valid({ scope: '' }))}`);
    expect(me.body.data.me.scopes).toEqual([]);
  });
});

describe('token verification, JWKS (RS256 / ES256)', () => {
  let gw: TestGateway;
  let server: Server;
  let rsa: { privateKey: KeyLike; publicKey: KeyLike };
  let ec: { privateKey: KeyLike; publicKey: KeyLike };
  let stranger: { privateKey: KeyLike; publicKey: KeyLike };
  const ISSUER = 'https://idp.example.test/';
  const AUDIENCE = 'idgraph-admin';

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    stranger = await generateKeyPair('RS256');
    const keys: JWK[] = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    server = createServer((req, res) => {
      if (req.url === '/.well-known/jwks.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    gw = await startTestGateway({
      // JWKS only: no JWT_SECRET (a random one signs the application tokens).
      JWT_SECRET: '',
      JWT_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    });
  });
  afterAll(async () => {
    await gw.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const sign = (key: KeyLike, alg: 'RS256' | 'ES256', kid: string, claims: Record<string, unknown> = {}, options: { iss?: string; aud?: string; exp?: number } = {}) =>
    new SignJWT({ role: 'super_admin', scope: RW, ...claims })
      .setProtectedHeader({ alg, kid, typ: 'JWT' })
      .setSubject('idp-admin')
      .setIssuer(options.iss ?? ISSUER)
      .setAudience(options.aud ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.exp ?? now() + 600)
      .sign(key);

  it('a valid RS256 token is accepted', async () => {
    const res = await post(gw, ME, `Bearer ${await sign(rsa.privateKey, 'RS256', 'rsa-1')}`);
    expect(res.status).toBe(200);
    expect(res.body.data.me).toMatchObject({ kind: 'super_admin', subject: 'idp-admin' });
  });

  it('a valid ES256 token is accepted', async () => {
    // A partner admin's partner must be live (issue 8), so the partner is created first.
    const created = await post(gw, 'mutation { createPartner(input: { name: "IdP Partner" }) { id } }', `Bearer ${await sign(rsa.privateKey, 'RS256', 'rsa-1')}`);
    const partnerId = created.body.data.createPartner.id;
    const res = await post(gw, ME, `Bearer ${await sign(ec.privateKey, 'ES256', 'ec-1', { role: 'partner_admin', partner_id: partnerId })}`);
    expect(res.status).toBe(200);
    expect(res.body.data.me.kind).toBe('partner_admin');
  });

  it('an RS256 token is good for data, not only for `me`', async () => {
    const token = await sign(rsa.privateKey, 'RS256', 'rsa-1');
    const res = await post(gw, DATA, `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });

  const rejected: [string, () => Promise<string>][] = [
    ['wrong issuer', () => sign(rsa.privateKey, 'RS256', 'rsa-1', {}, { iss: 'https://evil.example.test/' })],
    ['wrong audience', () => sign(rsa.privateKey, 'RS256', 'rsa-1', {}, { aud: 'someone-else' })],
    ['expired', () => sign(ec.privateKey, 'ES256', 'ec-1', {}, { exp: now() - 120 })],
    ['signed by a key not in the set (known kid)', () => sign(stranger.privateKey, 'RS256', 'rsa-1')],
    ['signed by a key not in the set (unknown kid)', () => sign(stranger.privateKey, 'RS256', 'rsa-9')],
    ['unknown role', () => sign(rsa.privateKey, 'RS256', 'rsa-1', { role: 'owner' })],
    ['tenant_admin without tenant_id', () => sign(rsa.privateKey, 'RS256', 'rsa-1', { role: 'tenant_admin' })],
    [
      'HS256 admin token signed with JWT_SECRET (admins come from the key set)',
      () =>
        new SignJWT({ role: 'super_admin', scope: RW })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .setIssuer('idgraph')
          .setExpirationTime(now() + 600)
          .sign(secret),
    ],
    [
      'HS256 token with the IdP issuer',
      () =>
        new SignJWT({ role: 'super_admin', scope: RW })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime(now() + 600)
          .sign(secret),
    ],
  ];

  it.each(rejected)('%s → 401 UNAUTHENTICATED', async (_name, token) => {
    expectUnauthenticated(await post(gw, ME, `Bearer ${await token()}`));
  });

  it('application tokens from POST /oauth/token still work alongside the key set', async () => {
    const admin = await sign(rsa.privateKey, 'RS256', 'rsa-1');
    const created = (
      await gqlAs(gw, admin, 'mutation { createApplication(input: { name: "JWKS App", applicationType: service, scope: GLOBAL }) { clientSecret application { id clientId } } }')
    ).createApplication;
    const token = await applicationToken(gw, created.application.clientId, created.clientSecret);
    const res = await post(gw, '{ me { kind applicationId } }', `Bearer ${token}`);
    expect(res.body.data.me).toEqual({ kind: 'application', applicationId: created.application.id });
  });

  it('with JWT_SECRET set as well, both HS256 admin tokens and key-set tokens are accepted (SPEC §3)', async () => {
    const both = await startTestGateway({
      JWT_JWKS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    });
    try {
      const local = await post(both, ME, `Bearer ${await both.superToken()}`);
      expect(local.body.data.me.kind).toBe('super_admin');
      const remote = await post(both, ME, `Bearer ${await sign(rsa.privateKey, 'RS256', 'rsa-1')}`);
      expect(remote.body.data.me.subject).toBe('idp-admin');
    } finally {
      await both.close();
    }
  });
});
