/**
 * The change feed of effective access (issue 11): one `access_change` row per (application, user) that
 * gains (`granted`) or loses (`revoked`) access, written by triggers on `effective_access` in the
 * transaction of the write that caused it.
 *
 * Cause and actor: the audit event of the same transaction (`audit_event.tx_id`). recordAudit runs
 * AFTER the write in several services (unassign, remove member, assign), so a setting made there would
 * come too late for the trigger; instead both sides look for each other by transaction id: the change
 * trigger takes the audit event already written, and an audit insert fills the changes written before
 * it. A write without audit event (plain SQL by an operator) may name its cause with
 * `select set_config('idgraph.cause', 'kind:id', true)` (transaction-local, PgBouncer-safe).
 *
 * Order: ids come from a sequence drawn while the refresh holds the per-application advisory lock
 * (effective_access_refresh), which is held until commit: per application, ids are in commit order, so
 * a reader never sees id n+1 before id n is committed (a poller after id n misses nothing).
 */

/**
 * Change rows for the transition table `rows`, each with the cause of its transaction: the audit
 * events of this transaction are read once (a handful, by index on tx_id), and each row takes the one
 * whose target is its application first, else the earliest.
 */
const INSERT_CHANGES = (rows: string, change: 'granted' | 'revoked') => `insert into access_change
      (application_id, user_id, tenant_id, change, cause_action, cause_target_type, cause_target_id, actor_type, actor_id)
    with cause as materialized (
      select e.action, e.target_type, e.target_id, e.actor_type, e.actor_id, e.created_at, e.id from audit_event e where e.tx_id = tx
    )
    select r.application_id, r.user_id, r.tenant_id, '${change}',
        coalesce(c.action, nullif(current_setting('idgraph.cause', true), '')), c.target_type, c.target_id, c.actor_type, c.actor_id
      from ${rows} r
      left join lateral (
        select * from cause order by (cause.target_id = r.application_id) desc, cause.created_at, cause.id limit 1
      ) c on true
      order by r.application_id, r.user_id`;

export const ACCESS_CHANGES_SCHEMA: string[] = [
  `create table access_change (
  id bigserial primary key,
  application_id uuid not null,
  user_id uuid not null,
  tenant_id uuid not null,
  change varchar(8) not null check (change in ('granted', 'revoked')),
  cause_action varchar(64) null,
  cause_target_type varchar(32) null,
  cause_target_id uuid null,
  actor_type varchar(32) null,
  actor_id varchar(255) null,
  tx_id bigint not null default txid_current(),
  created_at timestamptz not null default now()
)`,
  'create index access_change_application_idx on access_change (application_id, id)',
  'create index access_change_tx_idx on access_change (tx_id)',
  'create index access_change_created_idx on access_change (created_at)',
  // Existing audit rows keep a null transaction id; new ones get the writing transaction's.
  'alter table audit_event add column tx_id bigint null',
  'alter table audit_event alter column tx_id set default txid_current()',
  'create index audit_event_tx_idx on audit_event (tx_id)',
  `create function access_change_on_effective_access() returns trigger language plpgsql as $fn$
declare
  tx bigint := txid_current();
begin
  if TG_OP = 'INSERT' then
    ${INSERT_CHANGES('new_rows', 'granted')};
  elsif TG_OP = 'DELETE' then
    ${INSERT_CHANGES('old_rows', 'revoked')};
  else
    -- Email, direct or groups changing is no change of access. A user moving tenant is: revoked in the
    -- old tenant, granted in the new one, so that each tenant's admins see a feed that replays right.
    ${INSERT_CHANGES('(select o.* from old_rows o join new_rows n using (application_id, user_id) where o.tenant_id <> n.tenant_id)', 'revoked')};
    ${INSERT_CHANGES('(select n.* from old_rows o join new_rows n using (application_id, user_id) where o.tenant_id <> n.tenant_id)', 'granted')};
  end if;
  return null;
end
$fn$`,
  ...(['insert', 'delete', 'update'] as const).map(
    (event) => `create trigger access_change_${event} after ${event} on effective_access
      referencing ${{ insert: 'new table as new_rows', delete: 'old table as old_rows', update: 'old table as old_rows new table as new_rows' }[event]}
      for each statement execute function access_change_on_effective_access()`,
  ),
  `create function access_change_on_audit_event() returns trigger language plpgsql as $fn$
begin
  update access_change ch
    set cause_action = new.action, cause_target_type = new.target_type, cause_target_id = new.target_id,
      actor_type = new.actor_type, actor_id = new.actor_id
    where ch.tx_id = txid_current()
      and (ch.cause_target_id is null or (new.target_id = ch.application_id and ch.cause_target_id is distinct from ch.application_id));
  return null;
end
$fn$`,
  `create trigger access_change_audit after insert on audit_event for each row execute function access_change_on_audit_event()`,
];
