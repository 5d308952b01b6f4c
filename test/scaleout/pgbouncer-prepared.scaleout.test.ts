import { startTestGateway, type TestGateway } from '../support/harness.js';
import { groupAccessWorld } from '../support/world.js';

/**
 * Named prepared statements left on behind PgBouncer in transaction mode (the `.ci/scaleout.sh` one,
 * 1.18, which does not keep them): PgBouncer hands each transaction to whichever server connection is
 * free, so a statement prepared on one is unknown on the next. Every read must still answer, the same
 * as before: the first refusal turns named statements off and that read runs again unnamed.
 */
const BOUNCER = process.env.SCALEOUT_BOUNCER_URL ?? 'postgres://postgres@127.0.0.1:6440/postgres';

describe('prepared statements behind PgBouncer in transaction mode', () => {
  const savedUrl = process.env.DATABASE_URL;
  let gw: TestGateway;

  beforeAll(async () => {
    // The harness makes a fresh database on the server of DATABASE_URL: here, through PgBouncer.
    process.env.DATABASE_URL = BOUNCER;
    gw = await startTestGateway({ DATABASE_PREPARED_STATEMENTS: 'true' });
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = savedUrl;
  });

  it('concurrent effective-user reads all answer, and answer alike', async () => {
    const { app, superToken: su, tenantAdminToken: tenantAdmin } = await groupAccessWorld(gw, 'Bounced');

    const bodies = new Set<string>();
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          gw.http.get(`/api/v1/admin/applications/${app}/effective-users?per_page=2`).set('authorization', `Bearer ${i % 2 ? su : tenantAdmin}`),
        ),
      );
      for (const res of answers) {
        expect(res.status).toBe(200);
        bodies.add(JSON.stringify({ data: res.body.data, pagination: res.body.pagination }));
      }
    }
    // The super admin and the tenant admin see the same three users of the tenant.
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0]).pagination).toMatchObject({ total_items: 3, per_page: 2 });
  });
});
