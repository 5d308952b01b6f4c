/**
 * The effective-access index (SPEC §2, precomputed): one row per (application, user) that holds the
 * application, kept by triggers in the transaction of every write that changes access. This file is
 * the ONE place where "who holds what" is defined as SQL: the migration creates the tables, the
 * trigger functions and back-fills from it; `npm run access:rebuild` / `access:check` and the tests
 * recompute from it.
 *
 * A row exists iff the user is live and active, its tenant is live, the application is available to
 * that tenant (GLOBAL; PARTNER of the tenant's partner; TENANT of that tenant) and the user is assigned
 * directly or is a member of a live group assigned to the application. Application soft deletes keep
 * the rows (a deleted application reads as 404 anyway, and a restore needs nothing).
 */

/**
 * Recomputes index rows from the base tables. `pairs`, when given, names a relation `p(application_id,
 * user_id)` restricting the computation to those pairs (the triggers' incremental path); without it,
 * every row (back-fill, rebuild, check). Columns: the table's, in its order.
 */
export function effectiveAccessSource(pairs?: string): string {
  const direct = pairs ? `join ${pairs} on p.application_id = d.application_id and p.user_id = d.user_id` : '';
  const viaGroup = pairs ? `join ${pairs} on p.application_id = ga.application_id and p.user_id = m.user_id` : '';
  return `select acc.application_id, acc.user_id, u.tenant_id, u.email::text collate "C" as email, acc.direct, acc.group_ids
  from (
    select x.application_id, x.user_id, bool_or(x.group_id is null) as direct,
      coalesce(array_agg(x.group_id order by x.group_id) filter (where x.group_id is not null), '{}'::uuid[]) as group_ids
    from (
      select d.application_id, d.user_id, null::uuid as group_id
        from app_assignment d ${direct}
        where d.user_id is not null
      union all
      select ga.application_id, m.user_id, ga.group_id
        from app_assignment ga
        join group_member m on m.group_id = ga.group_id
        join user_group g on g.id = ga.group_id and g.deleted_at is null
        ${viaGroup}
        where ga.group_id is not null
    ) x
    group by x.application_id, x.user_id
  ) acc
  join application a on a.id = acc.application_id
  join app_user u on u.id = acc.user_id and u.deleted_at is null and u.status = 'active'
  join tenant t on t.id = u.tenant_id and t.deleted_at is null
  where a.scope = 'GLOBAL'
    or (a.scope = 'PARTNER' and a.partner_id = t.partner_id)
    or (a.scope = 'TENANT' and a.tenant_id = t.id)`;
}

/**
 * The groups through which an index row holds its application, as a JSON array of `{id, name}` in name
 * order; `groupIds` is the row's `group_ids` column. Each id is looked up by primary key, in a LATERAL
 * subquery that `offset 0` keeps from being flattened into a join: as a join, the plan depended on the
 * size of `user_group` — `eg.id = any(group_ids)` was a bitmap scan per row (13 µs a row on the L bench
 * data), and `unnest … join user_group` with ~1,000 groups (S) hashed the whole table for every row
 * (0.11 ms a row: 33 of the 40 ms of a 50-application × 6-user read). A key probe per id is what a page
 * of rows needs at any size.
 */
export function viaGroupsJson(groupIds: string): string {
  return `coalesce((select json_agg(json_build_object('id', eg.id, 'name', eg.name) order by eg.name, eg.id) from unnest(${groupIds}) as gid(id) cross join lateral (select g.id, g.name from user_group g where g.id = gid.id offset 0) eg), '[]'::json)`;
}

/** Per-(application, tenant) counts of a row source. */
export function effectiveAccessCounts(source: string): string {
  return `select s.application_id, s.tenant_id, count(*)::integer as user_count from (${source}) s group by s.application_id, s.tenant_id`;
}

/** Lock namespace (first key of pg_advisory_xact_lock) serialising index refreshes per application. */
export const EFFECTIVE_ACCESS_LOCK = 7_220_411;

/** The tables (shape fixed by issue 9; a benchmark baseline uses these names). */
const TABLES = [
  `create table effective_access (
  application_id uuid not null,
  user_id uuid not null,
  tenant_id uuid not null,
  email text collate "C" not null,
  direct boolean not null,
  group_ids uuid[] not null default '{}',
  primary key (application_id, user_id)
)`,
  'create index effective_access_page_idx on effective_access (application_id, email, user_id)',
  'create index effective_access_tenant_page_idx on effective_access (application_id, tenant_id, email, user_id)',
  `create table effective_access_count (
  application_id uuid not null,
  tenant_id uuid not null,
  user_count integer not null,
  primary key (application_id, tenant_id)
)`,
];

/**
 * effective_access_refresh(apps, users): recomputes the pairs (apps[i], users[i]) set-based. Takes a
 * transaction-scoped advisory lock per application first, then computes in a NEW statement: in READ
 * COMMITTED each statement of a volatile function sees what was committed before it started, so of
 * two transactions touching the same pairs the second recomputes after the first committed and sees
 * both writes (no lost update between row-level snapshots). Rows that stay are upserted only when
 * something changed; counts move by the difference of rows removed and rows added.
 */
const REFRESH_FUNCTION = `create function effective_access_refresh(apps uuid[], users uuid[]) returns void language plpgsql as $fn$
begin
  if apps is null or cardinality(apps) = 0 then
    return;
  end if;
  perform pg_advisory_xact_lock(${EFFECTIVE_ACCESS_LOCK}, l.k)
    from (select distinct hashtext(a::text) as k from unnest(apps) as a order by 1) l;
  with p as (
    select distinct q.application_id, q.user_id from unnest(apps, users) as q(application_id, user_id)
  ),
  fresh as materialized (
    ${effectiveAccessSource('p')}
  ),
  gone as (
    -- NOT IN (a hashed sub-plan) rather than NOT EXISTS: the planner cannot estimate the pair count and
    -- would pick a nested-loop anti join, quadratic in the pairs (seconds for a few thousand).
    delete from effective_access ea
      using p
      where ea.application_id = p.application_id and ea.user_id = p.user_id
        and (ea.application_id, ea.user_id) not in (select f.application_id, f.user_id from fresh f)
      returning ea.application_id, ea.tenant_id
  ),
  put as (
    insert into effective_access (application_id, user_id, tenant_id, email, direct, group_ids)
      select f.application_id, f.user_id, f.tenant_id, f.email, f.direct, f.group_ids from fresh f
      on conflict (application_id, user_id) do update
        set tenant_id = excluded.tenant_id, email = excluded.email, direct = excluded.direct, group_ids = excluded.group_ids
        where (effective_access.tenant_id, effective_access.email, effective_access.direct, effective_access.group_ids)
          is distinct from (excluded.tenant_id, excluded.email, excluded.direct, excluded.group_ids)
      returning application_id, tenant_id, (xmax = 0) as added
  ),
  delta as (
    select c.application_id, c.tenant_id, sum(c.d)::integer as d
      from (
        select application_id, tenant_id, -1 as d from gone
        union all
        select application_id, tenant_id, 1 as d from put where added
      ) c
      group by c.application_id, c.tenant_id
  )
  insert into effective_access_count as ec (application_id, tenant_id, user_count)
    select application_id, tenant_id, d from delta where d <> 0
    on conflict (application_id, tenant_id) do update set user_count = ec.user_count + excluded.user_count;
end
$fn$`;

/**
 * Statement-level triggers with transition tables: one refresh per statement, for the pairs the
 * statement can have changed. (PostgreSQL allows transition tables on single-event triggers only,
 * hence one trigger per event sharing a function that branches on TG_OP.)
 */
interface TriggerSpec {
  table: string;
  /** SELECT of (application_id, user_id) pairs touched by the rows of transition table `r`. */
  pairs: string;
  /** For UPDATE: only rows where one of these columns changed matter (joined old `o` / new `n` on id). */
  changed?: string[];
  events: ('insert' | 'update' | 'delete')[];
}

const TRIGGERS: TriggerSpec[] = [
  {
    table: 'app_assignment',
    events: ['insert', 'update', 'delete'],
    pairs: `select r.application_id, r.user_id from r where r.user_id is not null
      union
      select r.application_id, m.user_id from r join group_member m on m.group_id = r.group_id where r.group_id is not null`,
  },
  {
    table: 'group_member',
    events: ['insert', 'update', 'delete'],
    pairs: `select ga.application_id, r.user_id from r join app_assignment ga on ga.group_id = r.group_id`,
  },
  {
    table: 'user_group',
    events: ['update'],
    changed: ['deleted_at'],
    pairs: `select ga.application_id, m.user_id from r
      join app_assignment ga on ga.group_id = r.id
      join group_member m on m.group_id = r.id`,
  },
  {
    table: 'app_user',
    events: ['update'],
    changed: ['deleted_at', 'status', 'email', 'tenant_id'],
    pairs: `select d.application_id, r.id as user_id from r join app_assignment d on d.user_id = r.id
      union
      select ga.application_id, r.id from r join group_member m on m.user_id = r.id join app_assignment ga on ga.group_id = m.group_id`,
  },
  {
    table: 'tenant',
    events: ['update'],
    changed: ['deleted_at', 'partner_id'],
    pairs: `select d.application_id, d.user_id from r join app_assignment d on d.tenant_id = r.id and d.user_id is not null
      union
      select ga.application_id, m.user_id from r
        join app_assignment ga on ga.tenant_id = r.id and ga.group_id is not null
        join group_member m on m.group_id = ga.group_id`,
  },
  {
    // Scope and owner are fixed at creation today; recomputed anyway should that ever change.
    table: 'application',
    events: ['update'],
    changed: ['scope', 'partner_id', 'tenant_id'],
    pairs: `select d.application_id, d.user_id from r join app_assignment d on d.application_id = r.id and d.user_id is not null
      union
      select ga.application_id, m.user_id from r
        join app_assignment ga on ga.application_id = r.id and ga.group_id is not null
        join group_member m on m.group_id = ga.group_id`,
  },
];

function triggerFunction(spec: TriggerSpec): string {
  // `r`: the rows whose access may have changed — both the old and the new version of each.
  const changedRows = (side: 'o' | 'n') =>
    spec.changed
      ? `select ${side}.* from old_rows o join new_rows n on n.id = o.id
          where ${spec.changed.map((c) => `o.${c} is distinct from n.${c}`).join(' or ')}`
      : `select * from ${side === 'o' ? 'old_rows' : 'new_rows'}`;
  const collect = (rowsQuery: string) => `with r as (${rowsQuery}), pairs as (${spec.pairs})
      select coalesce(array_agg(application_id), '{}'), coalesce(array_agg(user_id), '{}') into apps, users from pairs;
    perform effective_access_refresh(apps, users);`;
  const branches: string[] = [];
  if (spec.events.includes('insert'))
    branches.push(`if TG_OP = 'INSERT' then
    ${collect('select * from new_rows')}
  end if;`);
  if (spec.events.includes('delete'))
    branches.push(`if TG_OP = 'DELETE' then
    ${collect('select * from old_rows')}
  end if;`);
  if (spec.events.includes('update'))
    branches.push(`if TG_OP = 'UPDATE' then
    ${collect(`${changedRows('o')} union all ${changedRows('n')}`)}
  end if;`);
  return `create function effective_access_on_${spec.table}() returns trigger language plpgsql as $fn$
declare
  apps uuid[];
  users uuid[];
begin
  ${branches.join('\n  ')}
  return null;
end
$fn$`;
}

function triggerStatements(spec: TriggerSpec): string[] {
  const statements = [triggerFunction(spec)];
  for (const event of spec.events) {
    const referencing = { insert: 'new table as new_rows', delete: 'old table as old_rows', update: 'old table as old_rows new table as new_rows' }[event];
    statements.push(
      `create trigger effective_access_${spec.table}_${event} after ${event} on ${spec.table}
        referencing ${referencing} for each statement execute function effective_access_on_${spec.table}()`,
    );
  }
  return statements;
}

/** Fills the (empty) index from the base tables. */
export const BACKFILL_STATEMENTS = [
  `insert into effective_access (application_id, user_id, tenant_id, email, direct, group_ids) ${effectiveAccessSource()}`,
  `insert into effective_access_count (application_id, tenant_id, user_count)
    select application_id, tenant_id, count(*)::integer from effective_access group by application_id, tenant_id`,
];

/** Every statement of the migration that creates the index, one per entry (PGlite runs one at a time). */
export const EFFECTIVE_ACCESS_SCHEMA: string[] = [...TABLES, REFRESH_FUNCTION, ...TRIGGERS.flatMap(triggerStatements), ...BACKFILL_STATEMENTS];

/**
 * A version per application of its index rows, for page-boundary keys kept by readers
 * (effective-users.anchors.ts): every statement that inserts, updates or deletes an application's rows
 * gives it a fresh value of one sequence in the same transaction (never reused, so a remembered
 * version can only match the rows it was read with); a TRUNCATE (rebuild) renews every version.
 * Statement-level triggers on the index itself, so every writer of it is covered — the refresh, the
 * back-fill, a rebuild — at one upsert per touched application and statement.
 */
export const EFFECTIVE_ACCESS_VERSION_SCHEMA: string[] = [
  'create sequence effective_access_version_seq',
  `create table effective_access_version (
  application_id uuid primary key,
  version bigint not null
)`,
  `create function effective_access_version_bump() returns trigger language plpgsql as $fn$
begin
  if TG_OP = 'TRUNCATE' then
    update effective_access_version set version = nextval('effective_access_version_seq');
    return null;
  end if;
  -- Each trigger sees only its own transition tables, hence one branch per event.
  if TG_OP = 'INSERT' then
    insert into effective_access_version (application_id, version)
      select x.application_id, nextval('effective_access_version_seq') from (select distinct application_id from new_rows) x
      on conflict (application_id) do update set version = excluded.version;
  elsif TG_OP = 'DELETE' then
    insert into effective_access_version (application_id, version)
      select x.application_id, nextval('effective_access_version_seq') from (select distinct application_id from old_rows) x
      on conflict (application_id) do update set version = excluded.version;
  else
    insert into effective_access_version (application_id, version)
      select x.application_id, nextval('effective_access_version_seq')
        from (select application_id from new_rows union select application_id from old_rows) x
      on conflict (application_id) do update set version = excluded.version;
  end if;
  return null;
end
$fn$`,
  ...(['insert', 'update', 'delete'] as const).map((event) => {
    const referencing = { insert: 'new table as new_rows', delete: 'old table as old_rows', update: 'old table as old_rows new table as new_rows' }[event];
    return `create trigger effective_access_version_${event} after ${event} on effective_access
      referencing ${referencing} for each statement execute function effective_access_version_bump()`;
  }),
  `create trigger effective_access_version_truncate after truncate on effective_access
    for each statement execute function effective_access_version_bump()`,
  `insert into effective_access_version (application_id, version)
    select distinct application_id, 0 from effective_access`,
];

/** Recomputes the whole index (for data loaded with plain SQL while triggers were off, or after a bug). */
export const REBUILD_STATEMENTS = [
  // Data loaded with plain SQL often has no planner statistics yet: without them the recomputation may
  // pick nested loops that take minutes instead of seconds.
  'analyze app_assignment, group_member, user_group, app_user, tenant, application',
  'truncate effective_access, effective_access_count',
  ...BACKFILL_STATEMENTS,
  'analyze effective_access, effective_access_count',
];

/**
 * Every difference between the index and a recomputation: rows missing, extra or different, and
 * counts that disagree (count rows of 0 equal no row). Empty result = consistent.
 */
export const CHECK_QUERY = `with fresh as (${effectiveAccessSource()}),
fresh_counts as (${effectiveAccessCounts('select * from fresh')}),
stored_counts as (select application_id, tenant_id, user_count from effective_access_count where user_count <> 0)
select 'row' as kind,
    coalesce(f.application_id, s.application_id) as application_id,
    coalesce(f.user_id, s.user_id) as user_id,
    case when f.user_id is null then 'extra' when s.user_id is null then 'missing' else 'different' end as problem,
    to_jsonb(s) - 'application_id' - 'user_id' as stored,
    to_jsonb(f) - 'application_id' - 'user_id' as expected
  from fresh f
  full join effective_access s on s.application_id = f.application_id and s.user_id = f.user_id
  where f.user_id is null or s.user_id is null
    or (f.tenant_id, f.email, f.direct, f.group_ids) is distinct from (s.tenant_id, s.email, s.direct, s.group_ids)
union all
select 'count' as kind,
    coalesce(f.application_id, s.application_id),
    null,
    'count of tenant ' || coalesce(f.tenant_id, s.tenant_id)::text,
    to_jsonb(s.user_count),
    to_jsonb(f.user_count)
  from fresh_counts f
  full join stored_counts s on s.application_id = f.application_id and s.tenant_id = f.tenant_id
  where f.user_count is distinct from s.user_count`;
