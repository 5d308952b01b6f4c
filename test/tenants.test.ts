import { codeOf, ok, startTestGateway, type TestGateway } from './support/harness.js';
import { createPartner, createTenant, createUser, gqlAs } from './support/world.js';

/** SPEC §1: tenants, their slugs, settings, soft delete; partners' delete rule. */
const CREATE =
  'mutation($i: CreateTenantInput!) { createTenant(input: $i) { id name slug status partnerId settings { mfaRequired mfaMethods sessionTimeout passwordPolicy { minLength requireUppercase requireLowercase requireDigit requireSymbol maxAgeDays } } } }';
const UPDATE =
  'mutation($id: ID!, $i: UpdateTenantInput!) { updateTenant(id: $id, input: $i) { id name slug status settings { mfaRequired mfaMethods sessionTimeout passwordPolicy { minLength requireDigit maxAgeDays } } } }';

describe('tenants', () => {
  let gw: TestGateway;
  let su: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
  });
  afterAll(() => gw.close());

  describe('slug', () => {
    it('is derived from the name, with a numeric suffix when taken', async () => {
      const a = ok(await gw.gql(CREATE, { i: { name: 'Café Society GmbH' } }, su)).createTenant;
      const b = ok(await gw.gql(CREATE, { i: { name: 'Cafe society gmbh' } }, su)).createTenant;
      const c = ok(await gw.gql(CREATE, { i: { name: 'CAFE SOCIETY GMBH!' } }, su)).createTenant;
      expect([a.slug, b.slug, c.slug]).toEqual(['cafe-society-gmbh', 'cafe-society-gmbh-2', 'cafe-society-gmbh-3']);
    });

    it('an explicit duplicate among live tenants is a CONFLICT; a deleted tenant frees it', async () => {
      const first = ok(await gw.gql(CREATE, { i: { name: 'First', slug: 'taken-slug' } }, su)).createTenant;
      const dup = await gw.gql(CREATE, { i: { name: 'Second', slug: 'taken-slug' } }, su);
      expect(codeOf(dup)).toBe('CONFLICT');
      await gqlAs(gw, su, 'mutation($id: ID!) { deleteTenant(id: $id) }', { id: first.id });
      expect(ok(await gw.gql(CREATE, { i: { name: 'Third', slug: 'taken-slug' } }, su)).createTenant.slug).toBe('taken-slug');
    });

    it('renaming to a taken slug is a CONFLICT and changes nothing', async () => {
      const x = ok(await gw.gql(CREATE, { i: { name: 'Xeno', slug: 'xeno' } }, su)).createTenant;
      await gw.gql(CREATE, { i: { name: 'Yak', slug: 'yak' } }, su);
      expect(codeOf(await gw.gql(UPDATE, { id: x.id, i: { name: 'Renamed', slug: 'yak' } }, su))).toBe('CONFLICT');
      expect(ok(await gw.gql('query($id: ID!) { tenant(id: $id) { name slug } }', { id: x.id }, su)).tenant).toEqual({ name: 'Xeno', slug: 'xeno' });
    });

    it('rejects malformed slugs', async () => {
      const bad = await gw.gql(CREATE, { i: { name: 'Bad', slug: 'Not A Slug' } }, su);
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors![0].extensions.fields![0].path).toEqual(['input', 'slug']);
    });
  });

  describe('settings', () => {
    it('defaults, then PATCH replaces only the keys it names', async () => {
      const t = ok(await gw.gql(CREATE, { i: { name: 'Settings Co', settings: { mfaRequired: true, mfaMethods: ['totp', 'sms'] } } }, su)).createTenant;
      expect(t.settings).toEqual({
        mfaRequired: true,
        mfaMethods: ['totp', 'sms'],
        sessionTimeout: 60,
        passwordPolicy: { minLength: 8, requireUppercase: false, requireLowercase: false, requireDigit: false, requireSymbol: false, maxAgeDays: 0 },
      });
      const updated = ok(await gw.gql(UPDATE, { id: t.id, i: { settings: { sessionTimeout: 30, passwordPolicy: { minLength: 12, requireDigit: true } } } }, su)).updateTenant;
      expect(updated.settings).toEqual({
        mfaRequired: true,
        mfaMethods: ['totp', 'sms'],
        sessionTimeout: 30,
        passwordPolicy: { minLength: 12, requireDigit: true, maxAgeDays: 0 },
      });
      const again = ok(await gw.gql(UPDATE, { id: t.id, i: { settings: { mfaRequired: false } } }, su)).updateTenant;
      expect(again.settings).toMatchObject({ mfaRequired: false, mfaMethods: ['totp', 'sms'], sessionTimeout: 30 });
    });

    it.each([
      [{ sessionTimeout: 0 }, ['input', 'settings', 'sessionTimeout']],
      [{ sessionTimeout: 43201 }, ['input', 'settings', 'sessionTimeout']],
      [{ passwordPolicy: { minLength: 7 } }, ['input', 'settings', 'passwordPolicy', 'minLength']],
      [{ passwordPolicy: { minLength: 129 } }, ['input', 'settings', 'passwordPolicy', 'minLength']],
      [{ passwordPolicy: { maxAgeDays: 3651 } }, ['input', 'settings', 'passwordPolicy', 'maxAgeDays']],
      [{ mfaRequired: null }, ['input', 'settings', 'mfaRequired']],
    ])('rejects %j naming the field, and writes nothing', async (settings, path) => {
      const t = ok(await gw.gql(CREATE, { i: { name: `Strict ${JSON.stringify(settings)}` } }, su)).createTenant;
      const bad = await gw.gql(UPDATE, { id: t.id, i: { name: 'Changed', settings } }, su);
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors![0].extensions.fields!.map((f) => f.path)).toContainEqual(path);
      expect(ok(await gw.gql('query($id: ID!) { tenant(id: $id) { name } }', { id: t.id }, su)).tenant.name).toBe(t.name);
    });

    it.each([
      ['an unknown key', { sessionTimeout: 10, colour: 'blue' }],
      ['a wrong type', { mfaRequired: 'yes' }],
      ['an unknown MFA method', { mfaMethods: ['carrier-pigeon'] }],
    ])('rejects %s as BAD_USER_INPUT', async (_label, settings) => {
      const bad = await gw.gql(CREATE, { i: { name: 'Typed', settings } }, su);
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(bad.status).toBe(400);
    });
  });

  describe('input errors are never internal errors', () => {
    it.each([
      ['a bad UUID variable', 'query($id: ID!) { tenant(id: $id) { id } }', { id: 'not-a-uuid' }],
      ['a bad UUID literal', '{ tenant(id: "123") { id } }', {}],
      ['a bad enum variable', 'query($s: TenantStatus) { tenants(status: $s) { items { id } } }', { s: 'sleeping' }],
      ['an empty name', 'mutation { createTenant(input: { name: "  " }) { id } }', {}],
      ['a name too long', `mutation { createTenant(input: { name: "${'x'.repeat(201)}" }) { id } }`, {}],
    ])('%s → BAD_USER_INPUT', async (_label, query, variables) => {
      expect(codeOf(await gw.gql(query, variables, su))).toBe('BAD_USER_INPUT');
    });
  });

  describe('soft delete', () => {
    it('hides the tenant and everything under it: reads are NOT_FOUND, lists leave it out', async () => {
      const t = await createTenant(gw, su, 'Doomed Tenant');
      const user = await createUser(gw, su, t, 'someone@doomed.test');
      await gqlAs(gw, su, 'mutation($id: ID!) { deleteTenant(id: $id) }', { id: t });
      expect(codeOf(await gw.gql('query($id: ID!) { tenant(id: $id) { id } }', { id: t }, su))).toBe('NOT_FOUND');
      expect(codeOf(await gw.gql('query($t: ID!, $u: ID!) { user(tenantId: $t, id: $u) { id } }', { t, u: user }, su))).toBe('NOT_FOUND');
      expect(codeOf(await gw.gql('query($t: ID!) { users(tenantId: $t) { items { id } } }', { t }, su))).toBe('NOT_FOUND');
      const names = ok(await gw.gql('{ tenants(perPage: 100) { items { id } } }', {}, su)).tenants.items.map((i: { id: string }) => i.id);
      expect(names).not.toContain(t);
      expect(codeOf(await gw.gql('mutation($id: ID!) { deleteTenant(id: $id) }', { id: t }, su))).toBe('NOT_FOUND');
    });

    it('a partner with live tenants cannot be deleted (CONFLICT); without, it can', async () => {
      const p = await createPartner(gw, su, 'Busy Partner');
      const t = await createTenant(gw, su, 'Busy Tenant', p);
      expect(codeOf(await gw.gql('mutation($id: ID!) { deletePartner(id: $id) }', { id: p }, su))).toBe('CONFLICT');
      await gqlAs(gw, su, 'mutation($id: ID!) { deleteTenant(id: $id) }', { id: t });
      expect(ok(await gw.gql('mutation($id: ID!) { deletePartner(id: $id) }', { id: p }, su)).deletePartner).toBe(true);
      expect(codeOf(await gw.gql('query($id: ID!) { partner(id: $id) { id } }', { id: p }, su))).toBe('NOT_FOUND');
    });
  });
});
