import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { rows } from './query.js';

/**
 * Row locks for the rules where one row guards another (SPEC §1): a partner with live tenants is not
 * deleted; users, groups and applications are created only in a live tenant (and partner); members
 * and assignments join only live users, groups and applications; the management API's delete leaves
 * no assignment behind. The write that relies on the guarding row locks it `FOR SHARE` inside its
 * transaction, the write that changes or deletes it locks it `FOR UPDATE`: whichever comes second
 * waits for the first to commit and then sees its outcome (READ COMMITTED, one snapshot per statement).
 * Writes relying on the same row share the lock and do not wait for each other.
 *
 * Order, in every transaction: partner → tenant → group → user → application. No transaction waits
 * for a row earlier in that order while holding a later one, so there is no deadlock cycle. (Moving a
 * tenant locks its new partner after the tenant; partner delete locks no tenant, so that is safe.)
 *
 * On PGlite there is one connection and transactions run one at a time: the locks never wait there.
 */
export type RowLock = 'share' | 'update';

/**
 * The one row of `query` (aliased `alias`, already filtered by visibility and id), live and locked.
 * Liveness is tested on the locked row itself: after waiting for a lock, PostgreSQL re-checks only the
 * locked row's own conditions against its newest version, not sub-selects (they keep the old snapshot).
 */
export async function lockedRow<T = Record<string, unknown>>(
  em: EntityManager,
  query: Knex.QueryBuilder,
  alias: string,
  lock: RowLock,
  options: { includeDeleted?: boolean } = {},
): Promise<T | undefined> {
  query.select(`${alias}.*`);
  // A restore locks the deleted row itself (and checks `deleted_at` on what it locked).
  if (!options.includeDeleted) query.whereNull(`${alias}.deleted_at`);
  if (lock === 'update') query.forUpdate(alias);
  else query.forShare(alias);
  const [row] = await rows<T>(em, query);
  return row;
}
