import type { Client } from 'pg';
import { benchId, type Size } from './data.js';

/**
 * The write side of issue 9's targets, measured end to end through the REST API of a started gateway
 * (so the timings include the effective-access triggers, the audit rows and the transaction):
 * - assigning an application to a group of 1,000 members, then unassigning it;
 * - adding a user to a group that holds 50 applications, then removing it;
 * - the size of the index tables against the base tables.
 * The two groups are set up once with SQL under fixed ids (idempotent, so `--reuse` works) and each
 * measured write is undone by its inverse, so the data set stays as loaded.
 */
const BIG_GROUP = benchId('g', 0x7ffffff0);
const APPS_GROUP = benchId('g', 0x7ffffff1);
const BIG_GROUP_MEMBERS = 1_000;
const APPS_IN_GROUP = 50;

export interface WriteFigure {
  write: string;
  ms: number[];
  target: string;
  /** The unrecorded first (cold) run. */
  warmup?: number;
}

/** Creates the two groups of the write measurements (no-op when they exist). */
export async function prepareWriteGroups(client: Client, size: Size): Promise<{ tenantId: string; members: number; newMember: string; application: string }> {
  const tenantId = benchId('t', 1);
  const usersPerTenant = size.users / size.tenants;
  const members = Math.min(BIG_GROUP_MEMBERS, usersPerTenant);
  await client.query('begin');
  await client.query(
    `insert into user_group (id, tenant_id, name, created_at, updated_at) values ($1, $3, 'Bench writes: big group', now(), now()), ($2, $3, 'Bench writes: 50 apps', now(), now())
       on conflict (id) do nothing`,
    [BIG_GROUP, APPS_GROUP, tenantId],
  );
  // User k of tenant 1 is user 1 + T·k (scripts/bench/data.ts): the big group takes the first `members` of them.
  await client.query(
    `insert into group_member (group_id, user_id, tenant_id, created_at)
       select $1, md5('u' || (1 + $2::int * k))::uuid, $3, now() from generate_series(0, $4::int - 1) k
       on conflict do nothing`,
    [BIG_GROUP, size.tenants, tenantId, members],
  );
  // GLOBAL applications (a % 3 = 0), never the hot one.
  await client.query(
    `insert into app_assignment (id, tenant_id, application_id, group_id, created_at, updated_at)
       select md5('bench-writes-' || a)::uuid, $2, md5('a' || a)::uuid, $1, now(), now() from generate_series(3, $3::int * 3, 3) a
       on conflict do nothing`,
    [APPS_GROUP, tenantId, APPS_IN_GROUP],
  );
  await client.query(
    `insert into group_member (group_id, user_id, tenant_id, created_at)
       select $1, md5('u' || (1 + $2::int * k))::uuid, $3, now() from generate_series(0, 9) k
       on conflict do nothing`,
    [APPS_GROUP, size.tenants, tenantId],
  );
  await client.query('commit');
  // A live user of tenant 1 that is not in the 50-app group (user k = 11; every 97th user is deleted).
  return { tenantId, members, newMember: benchId('u', 1 + size.tenants * 11), application: benchId('a', 3 * (APPS_IN_GROUP + 1)) };
}

async function timed(base: string, token: string, method: string, path: string, body?: unknown): Promise<number> {
  const started = performance.now();
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  const ms = performance.now() - started;
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}`);
  return ms;
}

/** Runs each write `repeat` times against the gateway at `base` (a super admin token), after `warmupRounds` unrecorded rounds (at least 1). */
export async function measureWrites(client: Client, size: Size, base: string, token: string, repeat: number, warmupRounds: number): Promise<WriteFigure[]> {
  const { tenantId, members, newMember, application } = await prepareWriteGroups(client, size);
  const tenant = `/api/v1/tenants/${tenantId}`;
  const figures: WriteFigure[] = [
    { write: `assign an application to a ${members}-member group`, ms: [], target: '≤ 150 ms' },
    { write: `unassign it`, ms: [], target: '' },
    { write: `add a user to a group holding ${APPS_IN_GROUP} applications`, ms: [], target: '≤ 20 ms' },
    { write: `remove the user`, ms: [], target: '' },
  ];
  const round = async () => [
    await timed(base, token, 'POST', `${tenant}/groups/${BIG_GROUP}/applications`, { application_id: application }),
    await timed(base, token, 'DELETE', `${tenant}/groups/${BIG_GROUP}/applications/${application}`),
    await timed(base, token, 'POST', `${tenant}/groups/${APPS_GROUP}/members`, { user_id: newMember }),
    await timed(base, token, 'DELETE', `${tenant}/groups/${APPS_GROUP}/members/${newMember}`),
  ];
  // Unrecorded rounds first, as the read scenarios have their warm-up (thousands of requests): the first
  // calls compile the write path (first use of each statement: 250-450 ms), and the JIT keeps optimizing
  // it over the next rounds (adding a user: 17-24 ms in rounds 2-10, 13-16 ms after, on the L data),
  // which says nothing about a running server. The cold first round is reported aside.
  const warmup = await round();
  for (let i = 1; i < warmupRounds; i += 1) await round();
  for (let i = 0; i < repeat; i += 1) (await round()).forEach((ms, at) => figures[at].ms.push(ms));
  return figures.map((figure, at) => ({ ...figure, warmup: warmup[at] }));
}

/** Bytes of the effective-access tables (with their indexes) against the base tables they derive from. */
export async function indexSize(client: Client): Promise<{ index: number; base: number }> {
  const sum = async (tables: string[]) =>
    Number(
      (
        await client.query<{ bytes: string }>(
          `select coalesce(sum(pg_total_relation_size(to_regclass(t))), 0)::bigint as bytes from unnest($1::text[]) t where to_regclass(t) is not null`,
          [tables],
        )
      ).rows[0].bytes,
    );
  return {
    index: await sum(['effective_access', 'effective_access_count', 'effective_access_version']),
    base: await sum(['partner', 'tenant', 'app_user', 'user_group', 'group_member', 'application', 'app_assignment']),
  };
}
