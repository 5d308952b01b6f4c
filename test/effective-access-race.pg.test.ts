import { Client } from 'pg';
import { checkEffectiveAccess } from '../src/modules/assignment/effective-access.maintenance.js';
import { startTestGateway, type TestGateway } from './support/harness.js';
import { addMember, assignGroup, createApplication, createGroup, createTenant, createUser } from './support/world.js';

/**
 * Two transactions changing the same (application, user) pair on PostgreSQL, interleaved by hand:
 * T1 adds a direct assignment and holds its transaction open; T2 removes the user's only group
 * membership and must wait. Had T2 recomputed the pair from its own snapshot (T1 not yet committed),
 * it would delete the row T1 just made, leaving a user with a direct assignment outside the index.
 */
describe('effective-access index under interleaved transactions (PostgreSQL)', () => {
  if (!process.env.DATABASE_URL) throw new Error('effective-access-race.pg.test.ts needs DATABASE_URL (a PostgreSQL server)');
  let gw: TestGateway;
  let clients: Client[];

  beforeAll(async () => {
    gw = await startTestGateway();
    const url = String(gw.db.orm.config.get('clientUrl'));
    clients = [new Client({ connectionString: url }), new Client({ connectionString: url })];
    await Promise.all(clients.map((c) => c.connect()));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await gw.close();
  });

  it('the second writer recomputes after the first commits and sees both writes', async () => {
    const su = await gw.superToken();
    const tenant = await createTenant(gw, su, 'Race');
    const user = await createUser(gw, su, tenant, 'racer@race.test');
    const group = await createGroup(gw, su, tenant, 'Racers');
    const app = (await createApplication(gw, su, { name: 'Race App', scope: 'GLOBAL' })).id;
    await addMember(gw, su, tenant, group, user);
    await assignGroup(gw, su, tenant, group, app);
    const [t1, t2] = clients;

    await t1.query('begin');
    await t1.query(`insert into app_assignment (id, tenant_id, application_id, user_id, created_at, updated_at) values (gen_random_uuid(), $1, $2, $3, now(), now())`, [
      tenant,
      app,
      user,
    ]);
    await t2.query('begin');
    const t2pid = (await t2.query('select pg_backend_pid() as pid')).rows[0].pid;
    const removal = t2.query('delete from group_member where group_id = $1 and user_id = $2', [group, user]);
    // Wait until T2 is blocked behind T1 (a lock wait, observed, not timed).
    for (;;) {
      const { rows } = await gw.db.orm.em
        .fork()
        .getConnection()
        .execute('select wait_event_type from pg_stat_activity where pid = ?', [t2pid])
        .then((r) => ({ rows: r }));
      if (rows[0]?.wait_event_type === 'Lock') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await t1.query('commit');
    await removal;
    await t2.query('commit');

    expect(await checkEffectiveAccess(gw.db.orm.em.fork())).toEqual([]);
    const rows = await gw.db.orm.em.fork().getConnection().execute('select direct, group_ids from effective_access where application_id = ? and user_id = ?', [app, user]);
    expect(rows).toEqual([{ direct: true, group_ids: [] }]);
  });
});
