import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * Ids are random UUIDs, except while the demo data is written: then each kind of row counts from 1
 * under a prefix of its own (Tenant 1 is b0000000-0000-4000-8000-000000000001), so the demo ids are
 * the same on every machine and after every reset, and docs/operations.md can list them.
 */
const PREFIXES: Record<string, string> = {
  Partner: 'a0000000',
  Tenant: 'b0000000',
  Application: 'c0000000',
  User: 'd0000000',
  Group: 'e0000000',
  AppAssignmentRow: 'f1000000',
  AuditEvent: 'f2000000',
};

const counters = new AsyncLocalStorage<Map<string, number>>();

/** A new id for a row of `kind` (its entity class name). */
export function newId(kind: string): string {
  const counts = counters.getStore();
  const prefix = PREFIXES[kind];
  if (!counts || !prefix) return randomUUID();
  const next = (counts.get(kind) ?? 0) + 1;
  counts.set(kind, next);
  return `${prefix}-0000-4000-8000-${next.toString(16).padStart(12, '0')}`;
}

/** Runs `write` with deterministic ids for the rows it creates. */
export function withFixedIds<T>(write: () => Promise<T>): Promise<T> {
  return counters.run(new Map(), write);
}
