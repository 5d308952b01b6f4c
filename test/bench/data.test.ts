import { benchId, dataStatements, expectedCounts, SIZES } from '../../scripts/bench/data.js';
import { ok, startTestGateway, type TestGateway } from '../support/harness.js';

/** The benchmark's generator (scripts/bench/data.ts) at its tiny size: the documented counts and shape. */
describe('benchmark data generator', () => {
  let tg: TestGateway;
  beforeAll(async () => {
    tg = await startTestGateway();
    const em = tg.db.orm.em.fork();
    for (const statement of dataStatements(SIZES.XS)) await em.execute(statement);
  });
  afterAll(() => tg.close());

  it('loads the documented row counts', async () => {
    const em = tg.db.orm.em.fork();
    const counts: Record<string, number> = {};
    for (const table of Object.keys(expectedCounts(SIZES.XS))) {
      const [row] = await em.execute<{ n: number }[]>(`select count(*)::int as n from ${table}`);
      counts[table] = Number(row.n);
    }
    expect(counts).toEqual(expectedCounts(SIZES.XS));
  });

  it('gives the hot application direct and group holders, without the disabled, deleted or deleted-group ones', async () => {
    const su = await tg.superToken();
    const data = ok(
      await tg.gql(
        `query($a: ID!) { application(id: $a) { name scope effectiveUserCount effectiveUsers(perPage: 100) { items { email direct groups { name } } } } }`,
        { a: benchId('a', 1) },
        su,
      ),
    ) as { application: { name: string; scope: string; effectiveUserCount: number; effectiveUsers: { items: { email: string; direct: boolean; groups: { name: string }[] }[] } } };
    const { application } = data;
    expect(application.scope).toBe('GLOBAL');
    expect(application.name).toContain('(hot)');
    const users = application.effectiveUsers.items;
    expect(users.length).toBe(application.effectiveUserCount);
    expect(users.some((u) => u.direct)).toBe(true);
    expect(users.some((u) => !u.direct && u.groups.length > 0)).toBe(true);
    // User i is disabled when i % 50 = 0 and deleted when i % 97 = 0; group 1 is deleted.
    const numbers = users.map((u) => Number(/^user(\d+)@/.exec(u.email)![1]));
    expect(numbers.filter((i) => i % 50 === 0 || i % 97 === 0)).toEqual([]);
    expect(users.flatMap((u) => u.groups.map((g) => g.name))).not.toContain('Group 1');
    // Every 8th user is a direct holder.
    expect(users.filter((u) => u.direct).length).toBe(numbers.filter((i) => i % 8 === 0).length);
    expect(numbers.filter((i) => i % 8 === 0).length).toBe(Math.floor(SIZES.XS.users / 8) - 1 /* user 200 is disabled */);
  });
});
