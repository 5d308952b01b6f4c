import { Client } from 'pg';
import { startTestGateway, type TestGateway } from './support/harness.js';
import { assignGroup, createApplication, createGroup, createTenant, createUser, gqlAs } from './support/world.js';

/**
 * The change feed under concurrent writes (PostgreSQL): a poller that started from a full read's
 * changesCursor and polls while writers race ends with exactly the effective users, and so does a
 * replay from empty; ids of one application come in commit order (held by the index's per-application
 * lock), so a poll between two commits never skips the later-committed change.
 */
describe('access change feed under concurrent writes (PostgreSQL)', () => {
  if (!process.env.DATABASE_URL) throw new Error('access-changes-race.pg.test.ts needs DATABASE_URL (a PostgreSQL server)');
  let gw: TestGateway;
  let su: string;
  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
  });
  afterAll(() => gw?.close());

  async function effectiveIds(applicationId: string): Promise<string[]> {
    const data = await gqlAs(gw, su, 'query($a: ID!) { effectiveUsers(applicationId: $a, perPage: 100) { items { id } } }', { a: applicationId });
    return data.effectiveUsers.items.map((i: { id: string }) => i.id).sort();
  }
  async function poll(applicationId: string, set: Set<string>, after: string | null): Promise<string> {
    for (;;) {
      const data: any = await gqlAs(
        gw,
        su,
        'query($a: ID!, $after: String) { accessChanges(applicationId: $a, after: $after, first: 100) { items { userId change } endCursor hasNextPage } }',
        { a: applicationId, after },
      );
      for (const item of data.accessChanges.items) item.change === 'granted' ? set.add(item.userId) : set.delete(item.userId);
      after = data.accessChanges.endCursor;
      if (!data.accessChanges.hasNextPage) return after!;
    }
  }

  it('racing writers and a concurrent poller: the polled set and a replay from empty equal the effective users', async () => {
    const tenant = await createTenant(gw, su, 'Storm');
    const app = (await createApplication(gw, su, { name: 'Storm App', scope: 'GLOBAL' })).id;
    const users: string[] = [];
    for (let i = 0; i < 8; i++) users.push(await createUser(gw, su, tenant, `s${i}@storm.test`));
    const groups = [await createGroup(gw, su, tenant, 'a'), await createGroup(gw, su, tenant, 'b')];
    await assignGroup(gw, su, tenant, groups[0], app);
    const start = await gqlAs(gw, su, 'query($a: ID!) { effectiveUsers(applicationId: $a, first: 100) { items { id } changesCursor } }', { a: app });
    const polled = new Set<string>(start.effectiveUsers.items.map((i: { id: string }) => i.id));
    let cursor: string = start.effectiveUsers.changesCursor;

    const writes: Promise<unknown>[] = [];
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < users.length; i++) {
        const v = { t: tenant, u: users[i], g: groups[(i + round) % 2], a: app };
        const document = [
          'mutation($t: ID!, $g: ID!, $u: ID!) { addGroupMember(tenantId: $t, groupId: $g, userId: $u) { id } }',
          'mutation($t: ID!, $g: ID!, $u: ID!) { removeGroupMember(tenantId: $t, groupId: $g, userId: $u) }',
          'mutation($t: ID!, $u: ID!, $a: ID!) { assignApplicationToUser(tenantId: $t, userId: $u, applicationId: $a) { id } }',
          'mutation($t: ID!, $u: ID!, $a: ID!) { unassignApplicationFromUser(tenantId: $t, userId: $u, applicationId: $a) }',
        ][(i * 7 + round * 3) % 4];
        writes.push(gw.gql(document, v, su));
      }
      if (round === 3)
        writes.push(
          gw.gql('mutation($t: ID!, $g: ID!, $a: ID!) { assignApplicationToGroup(tenantId: $t, groupId: $g, applicationId: $a) { id } }', { t: tenant, g: groups[1], a: app }, su),
        );
      cursor = await poll(app, polled, cursor);
    }
    const results = await Promise.all(writes);
    for (const r of results as { errors?: { extensions?: { code?: string } }[] }[]) for (const e of r.errors ?? []) expect(['NOT_FOUND']).toContain(e.extensions?.code);
    await poll(app, polled, cursor);
    const effective = await effectiveIds(app);
    expect([...polled].sort()).toEqual(effective);
    const replayed = new Set<string>();
    await poll(app, replayed, null);
    expect([...replayed].sort()).toEqual(effective);
  }, 120_000);

  it('a poll between two interleaved commits sees the first, then the second; never the second alone', async () => {
    const url = String(gw.db.orm.config.get('clientUrl'));
    const [t1, t2] = [new Client({ connectionString: url }), new Client({ connectionString: url })];
    await Promise.all([t1.connect(), t2.connect()]);
    try {
      const tenant = await createTenant(gw, su, 'Interleaved');
      const app = (await createApplication(gw, su, { name: 'Interleaved App', scope: 'GLOBAL' })).id;
      const [u1, u2] = [await createUser(gw, su, tenant, 'i1@i.test'), await createUser(gw, su, tenant, 'i2@i.test')];
      const start = await gqlAs(gw, su, 'query($a: ID!) { effectiveUsers(applicationId: $a) { changesCursor } }', { a: app });
      const insert = `insert into app_assignment (id, tenant_id, application_id, user_id, created_at, updated_at) values (gen_random_uuid(), $1, $2, $3, now(), now())`;
      await t1.query('begin');
      await t1.query(insert, [tenant, app, u1]);
      await t2.query('begin');
      const t2pid = (await t2.query('select pg_backend_pid() as pid')).rows[0].pid;
      const second = t2.query(insert, [tenant, app, u2]).then(() => t2.query('commit'));
      // t2's change of the same application waits for t1's lock (else it could commit a later id first).
      let waiting = false;
      for (let i = 0; i < 200 && !waiting; i++) {
        const { rows } = await t1.query('select wait_event_type from pg_stat_activity where pid = $1', [t2pid]);
        waiting = rows[0]?.wait_event_type === 'Lock';
      }
      expect(waiting).toBe(true);
      const polled = new Set<string>();
      const cursor = await poll(app, polled, start.effectiveUsers.changesCursor);
      expect([...polled]).toEqual([]);
      await t1.query('commit');
      await second;
      await poll(app, polled, cursor);
      expect([...polled].sort()).toEqual([u1, u2].sort());
    } finally {
      await Promise.all([t1.end(), t2.end()]);
    }
  });
});
