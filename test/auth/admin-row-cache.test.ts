import { AdminRowCache, type AdminRow } from '../../src/auth/admin-rows.js';
import { Tenant } from '../../src/modules/tenant/tenant.entity.js';
import { startTestGateway, type TestGateway } from '../support/harness.js';
import { createApplication, createPartner, createTenant, gqlAs } from '../support/world.js';
import { RW } from './fixtures.js';

/**
 * Admin tokens' partner and tenant checks, remembered for TOKEN_CHECK_CACHE_MS (src/auth/admin-rows.ts):
 * a tenant admin's repeated reads skip the check's round trip, while every change made through the API
 * to the partner or tenant behind a token takes effect on the very next request.
 */
const APPLICATIONS = '{ applications(perPage: 100) { items { name } } }';
const TYPENAME = '{ __typename }';

async function status(gw: TestGateway, token: string): Promise<number> {
  return (await gw.gql(TYPENAME, undefined, token)).status;
}

describe('admin token checks kept for TOKEN_CHECK_CACHE_MS', () => {
  let gw: TestGateway;
  let su: string;
  let p1: string;
  let p2: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    p1 = await createPartner(gw, su, 'Cache P1');
    p2 = await createPartner(gw, su, 'Cache P2');
    await createApplication(gw, su, { name: 'cache-p1-app', scope: 'PARTNER', partnerId: p1 });
    await createApplication(gw, su, { name: 'cache-p2-app', scope: 'PARTNER', partnerId: p2 });
  });
  afterAll(() => gw.close());

  const tenantAdmin = (tenantId: string) => gw.token({ sub: 'cache-tenant-admin', role: 'tenant_admin', tenant_id: tenantId, scope: RW });

  it("checks a tenant admin's tenant once, then answers from memory", async () => {
    const token = await tenantAdmin(await createTenant(gw, su, 'Cache Once', p1));
    const first = await gw.gql(TYPENAME, undefined, token);
    const second = await gw.gql(TYPENAME, undefined, token);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.sqlStatements, second.sqlStatements]).toEqual([1, 0]);
  });

  it("deleting a tenant retires its admins' tokens at once; restoring it brings them back at once", async () => {
    const tenantId = await createTenant(gw, su, 'Cache Deleted', p1);
    const token = await tenantAdmin(tenantId);
    expect([await status(gw, token), await status(gw, token)]).toEqual([200, 200]);
    await gqlAs(gw, su, 'mutation($id: ID!) { deleteTenant(id: $id) }', { id: tenantId });
    const refused = await gw.gql(TYPENAME, undefined, token);
    expect({ status: refused.status, code: refused.errors?.[0]?.extensions.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    // A refusal is never remembered.
    await gqlAs(gw, su, 'mutation($id: ID!) { restoreTenant(id: $id) { id } }', { id: tenantId });
    expect(await status(gw, token)).toBe(200);
  });

  it("moving a tenant to another partner changes its admin's PARTNER applications on the next request", async () => {
    const tenantId = await createTenant(gw, su, 'Cache Moved', p1);
    const token = await tenantAdmin(tenantId);
    const names = async () => ((await gqlAs(gw, token, APPLICATIONS)).applications.items as { name: string }[]).map((a) => a.name).filter((n) => n.startsWith('cache-'));
    expect(await names()).toEqual(['cache-p1-app']);
    await gqlAs(gw, su, 'mutation($id: ID!, $p: ID) { updateTenant(id: $id, input: { partnerId: $p }) { id } }', { id: tenantId, p: p2 });
    expect(await names()).toEqual(['cache-p2-app']);
    await gqlAs(gw, su, 'mutation($id: ID!) { updateTenant(id: $id, input: { partnerId: null }) { id } }', { id: tenantId });
    expect(await names()).toEqual([]);
  });

  it("deleting a partner retires its admins' tokens at once", async () => {
    const partnerId = await createPartner(gw, su, 'Cache Gone');
    const token = await gw.token({ sub: 'cache-partner-admin', role: 'partner_admin', partner_id: partnerId, scope: RW });
    expect([await status(gw, token), await status(gw, token)]).toEqual([200, 200]);
    await gqlAs(gw, su, 'mutation($id: ID!) { deletePartner(id: $id) }', { id: partnerId });
    expect(await status(gw, token)).toBe(401);
  });
});

describe('admin token checks, outside the API and with the cache off', () => {
  let gw: TestGateway;
  let su: string;
  afterEach(() => gw.close());

  it('a tenant deleted with plain SQL is refused once TOKEN_CHECK_CACHE_MS has passed', async () => {
    gw = await startTestGateway({ TOKEN_CHECK_CACHE_MS: '200' });
    su = await gw.superToken();
    const tenantId = await createTenant(gw, su, 'Cache SQL');
    const token = await gw.token({ sub: 'cache-sql-admin', role: 'tenant_admin', tenant_id: tenantId, scope: RW });
    expect(await status(gw, token)).toBe(200);
    await gw.db.orm.em.getConnection().execute('update tenant set deleted_at = now() where id = ?', [tenantId]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await status(gw, token)).toBe(401);
  });

  it('TOKEN_CHECK_CACHE_MS=0 checks on every request', async () => {
    gw = await startTestGateway({ TOKEN_CHECK_CACHE_MS: '0' });
    su = await gw.superToken();
    const token = await gw.token({ sub: 'cache-off-admin', role: 'tenant_admin', tenant_id: await createTenant(gw, su, 'Cache Off'), scope: RW });
    const statements = [];
    for (let i = 0; i < 3; i++) statements.push((await gw.gql(TYPENAME, undefined, token)).sqlStatements);
    expect(statements).toEqual([1, 1, 1]);
  });
});

describe('AdminRowCache and the writes that empty it', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  const counting = () => {
    const calls = { count: 0 };
    const load = async () => {
      calls.count += 1;
      return { partnerId: null };
    };
    return { calls, load };
  };

  it('a lookup that started before an invalidation does not store what it read', async () => {
    const cache = new AdminRowCache(60_000);
    let finish: (row: AdminRow) => void = () => {};
    const slow = cache.get('tenant:x', () => new Promise<AdminRow>((resolve) => (finish = resolve)));
    cache.invalidate();
    finish({ partnerId: 'old' });
    expect(await slow).toEqual({ partnerId: 'old' });
    const { calls, load } = counting();
    await cache.get('tenant:x', load);
    await cache.get('tenant:x', load);
    expect(calls.count).toBe(1);
  });

  it("a tenant's change empties the cache at its flush and again at its commit; other transactions leave it alone", async () => {
    const cache = new AdminRowCache(60_000);
    gw.db.orm.em.getEventManager().registerSubscriber(cache.subscriber());
    const su = await gw.superToken();
    const tenantId = await createTenant(gw, su, 'Cache Commit');
    const { calls, load } = counting();
    await gw.db.orm.em.fork().transactional(async (em) => {
      const tenant = await em.findOneOrFail(Tenant, tenantId);
      tenant.name = 'Cache Commit, renamed';
      await em.flush();
      // Another request reads the committed (old) row now and stores it.
      await cache.get('tenant:y', load);
      await cache.get('tenant:y', load);
      expect(calls.count).toBe(1);
    });
    await cache.get('tenant:y', load);
    expect(calls.count).toBe(2);
    // A transaction that changes no partner or tenant leaves it alone.
    await gw.db.orm.em.fork().transactional(async (em) => void (await em.findOneOrFail(Tenant, tenantId)));
    await cache.get('tenant:y', load);
    expect(calls.count).toBe(2);
  });
});
