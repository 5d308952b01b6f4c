import type { EntityManager } from '@mikro-orm/postgresql';
import { uniquely } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import { changes, recordAudit, type AuditEntry } from './audit.service.js';

/** One audited update of one row (see `auditedUpdate`). */
export interface AuditedUpdate<T extends { updatedAt: Date }> {
  /** The row, loaded for write with its lock (src/db/locks.ts), after any rights check that needs it. */
  load(em: EntityManager): Promise<T>;
  /** Applies the change to the loaded row; may check further (and throw) or lock more rows, in lock order. */
  apply(row: T, em: EntityManager): void | Promise<void>;
  /** The fields whose changes go into the audit diff. */
  audited: (keyof T)[];
  /** The audit event of the change, without its diff (read after `apply`). */
  event(row: T): Omit<AuditEntry, 'diff'>;
  /** Messages of the unique indexes the flush may hit (`uniquely`); without, a plain flush. */
  conflicts?: Record<string, string>;
}

/**
 * The audited update recipe, run once for every service. The input is checked before (no transaction
 * needed); then, in one transaction: load for write → snapshot → apply → when an audited field changed,
 * stamp `updatedAt` and record the audit event with the diff → flush (unique violations → 409).
 * An update that changes nothing writes nothing and records no event.
 */
export function auditedUpdate<T extends { updatedAt: Date }>(ctx: RequestContext, update: AuditedUpdate<T>): Promise<T> {
  return ctx.em.transactional(async (em) => {
    const row = await update.load(em);
    const before = { ...row };
    await update.apply(row, em);
    const diff = changes(before, row, update.audited);
    if (Object.keys(diff).length) {
      row.updatedAt = new Date();
      recordAudit(em, ctx, { ...update.event(row), diff });
    }
    const { conflicts } = update;
    await (conflicts ? uniquely(() => em.flush(), conflicts) : em.flush());
    return row;
  });
}
