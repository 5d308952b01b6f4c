import { hashSecret, verifySecret } from '../../src/auth/secrets.js';
import { ok, startTestGateway, type TestGateway } from '../support/harness.js';
import { buildWorld, createApplication, gqlAs, type World } from '../support/world.js';

/**
 * SPEC §1 / §4: the client secret is 32+ random bytes, shown only in the responses of create and
 * rotate-secret, stored only as a salted scrypt hash.
 */
describe('client secrets', () => {
  let gw: TestGateway;
  let su: string;
  let w: World;
  let a: { id: string; clientId: string; clientSecret: string };
  let b: { id: string; clientId: string; clientSecret: string };

  const storedHash = async (id: string): Promise<string> => {
    const [row] = await gw.db.orm.em.fork().execute('select client_secret_hash from application where id = ?', [id]);
    return row.client_secret_hash;
  };

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    w = await buildWorld(gw);
    a = await createApplication(gw, su, { name: 'Secret A', scope: 'TENANT', tenantId: w.t1a });
    b = await createApplication(gw, su, { name: 'Secret B', scope: 'TENANT', tenantId: w.t1a });
  });
  afterAll(() => gw.close());

  it('a created secret has at least 32 random bytes', () => {
    for (const secret of [a.clientSecret, b.clientSecret]) {
      expect(Buffer.from(secret, 'base64url').length).toBeGreaterThanOrEqual(32);
    }
    expect(a.clientSecret).not.toBe(b.clientSecret);
    expect(a.clientId).not.toBe(b.clientId);
  });

  it('the stored value is a salted scrypt hash, not the secret', async () => {
    const [hashA, hashB] = [await storedHash(a.id), await storedHash(b.id)];
    for (const [hash, secret] of [
      [hashA, a.clientSecret],
      [hashB, b.clientSecret],
    ]) {
      expect(hash.startsWith('scrypt$')).toBe(true);
      expect(hash).not.toBe(secret);
      expect(hash).not.toContain(secret);
      expect(await verifySecret(secret, hash)).toBe(true);
    }
    // Different salts: the salt fields (scrypt$N$r$p$salt$hash) differ.
    expect(hashA.split('$')[4]).not.toBe(hashB.split('$')[4]);
    expect(await verifySecret(a.clientSecret, hashB)).toBe(false);
  });

  it('the same secret hashed twice gives two different stored values, both verifying', async () => {
    const [one, two] = [await hashSecret('same-secret'), await hashSecret('same-secret')];
    expect(one).not.toBe(two);
    expect(await verifySecret('same-secret', one)).toBe(true);
    expect(await verifySecret('same-secret', two)).toBe(true);
    expect(await verifySecret('other-secret', one)).toBe(false);
    expect(await verifySecret('same-secret', 'plain-text')).toBe(false);
  });

  it('rotate-secret replaces the stored hash; the old secret no longer verifies', async () => {
    const before = await storedHash(b.id);
    const rotated = (await gqlAs(gw, su, 'mutation($id: ID!) { rotateApplicationSecret(id: $id) { id clientId clientSecret rotatedAt } }', { id: b.id })).rotateApplicationSecret;
    expect(rotated).toEqual({ id: b.id, clientId: b.clientId, clientSecret: expect.any(String), rotatedAt: expect.any(String) });
    expect(Buffer.from(rotated.clientSecret, 'base64url').length).toBeGreaterThanOrEqual(32);
    const after = await storedHash(b.id);
    expect(after).not.toBe(before);
    expect(await verifySecret(b.clientSecret, after)).toBe(false);
    expect(await verifySecret(rotated.clientSecret, after)).toBe(true);
    b = { ...b, clientSecret: rotated.clientSecret };
  });

  it('createManagementApplication also returns its secret, once', async () => {
    const created = (
      await gqlAs(gw, su, 'mutation($t: ID!) { createManagementApplication(tenantId: $t, input: { name: "Mgmt Secret" }) { clientSecret application { id } } }', { t: w.t1a })
    ).createManagementApplication;
    expect(Buffer.from(created.clientSecret, 'base64url').length).toBeGreaterThanOrEqual(32);
    expect((await storedHash(created.application.id)).startsWith('scrypt$')).toBe(true);
  });

  it('the schema exposes no secret or hash on Application', async () => {
    const data = ok(await gw.gql('{ __type(name: "Application") { fields { name } } }', {}, su));
    const fields = data.__type.fields.map((field: { name: string }) => field.name);
    // `secrets` lists the secrets' dates (issue 12): its type has no secret or hash either.
    expect(fields.filter((name: string) => /secret|hash/i.test(name) && name !== 'secretRotatedAt' && name !== 'secrets')).toEqual([]);
    const secretType = ok(await gw.gql('{ __type(name: "ApplicationSecret") { fields { name } } }', {}, su));
    expect(secretType.__type.fields.map((field: { name: string }) => field.name).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'lastUsedAt']);
  });

  it('no read returns the secret or its hash (every Application field, lists, nested, audit)', async () => {
    const hashes = [await storedHash(a.id), await storedHash(b.id)];
    const everything = `
      fragment all on Application { id createdAt updatedAt name description applicationType scope partnerId tenantId redirectUris clientId secretRotatedAt
        loginUri subdomain customDomain inviteMemberEmailExpirationMinutes pkce firstClientAuthenticationProtocol firstClient }
      query($a: ID!, $t: ID!) {
        application(id: $a) { ...all }
        applications(perPage: 100) { items { ...all } }
        tenant(id: $t) { availableApplications(perPage: 100) { items { ...all } } }
        managementApplications(tenantId: $t) { ...all }
        auditEvents(perPage: 100) { items { diff } }
      }`;
    const text = JSON.stringify(ok(await gw.gql(everything, { a: a.id, t: w.t1a }, su)));
    for (const secret of [a.clientSecret, b.clientSecret, ...hashes]) expect(text).not.toContain(secret);
    expect(text).not.toContain('scrypt$');
  });

  it('updateApplication answers without the secret', async () => {
    const res = await gw.http
      .post('/graphql')
      .set('authorization', `Bearer ${su}`)
      .send({ query: 'mutation($id: ID!) { updateApplication(id: $id, input: { description: "d" }) { id clientId } }', variables: { id: a.id } });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(a.clientSecret);
  });
});
