import type { EntityManager, EventSubscriber, FlushEventArgs, TransactionEventArgs } from '@mikro-orm/core';

/** The entities (by class name) whose rows admin tokens are checked against: src/modules/partner, src/modules/tenant. */
const ADMIN_ROW_ENTITIES = ['Partner', 'Tenant'];

/** What an admin token's check found: its partner or tenant is live, and a tenant's partner. */
export interface AdminRow {
  partnerId: string | null;
}

/**
 * The partner and tenant rows that admin tokens are checked against, remembered for at most `ttlMs`
 * (TOKEN_CHECK_CACHE_MS). A tenant admin's read would otherwise pay a second round trip to the
 * database on every request (a fifth of its gateway CPU on the L bench). Only live rows are kept.
 *
 * Exact within this instance: every write that changes a partner or tenant row through the ORM
 * (deletes, restores, a tenant moved to another partner) empties it when it flushes and again when
 * its transaction commits (`AdminRowCache.subscriber`), and a lookup that started before such a
 * commit does not store what it read (the generation moved on). Other instances see the change
 * within `ttlMs`, as they see a replica's data within REPLICA_MAX_LAG_MS. 0 turns it off.
 * Application tokens are not kept here: rotating a secret must retire their tokens at once.
 */
export class AdminRowCache {
  private generation = 0;
  private readonly entries = new Map<string, { row: AdminRow; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The row under `key`, from memory while fresh, else from `load` (undefined: not live, never kept). */
  async get(key: string, load: () => Promise<AdminRow | undefined>): Promise<AdminRow | undefined> {
    if (!(this.ttlMs > 0)) return load();
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && now < entry.until) return entry.row;
    const generation = this.generation;
    const row = await load();
    if (row && generation === this.generation) {
      this.entries.delete(key);
      // Oldest first out (a Map iterates in insertion order): bounded memory under many admins.
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, { row, until: now + this.ttlMs });
    }
    return row;
  }

  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
  }

  /** Empties the cache when a flush changes a partner or tenant, and again when that transaction commits. */
  subscriber(): EventSubscriber {
    const pending = new WeakSet<EntityManager>();
    const changesAdminRows = ({ uow }: FlushEventArgs) => uow.getChangeSets().some((change) => ADMIN_ROW_ENTITIES.includes(change.name));
    return {
      onFlush: (args) => {
        if (!changesAdminRows(args)) return;
        this.invalidate();
        pending.add(args.em);
      },
      afterTransactionCommit: ({ em }: TransactionEventArgs) => {
        if (!pending.has(em)) return;
        pending.delete(em);
        this.invalidate();
      },
      afterTransactionRollback: ({ em }: TransactionEventArgs) => void pending.delete(em),
    };
  }
}
