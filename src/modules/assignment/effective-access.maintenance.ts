import type { EntityManager } from '@mikro-orm/postgresql';
import { CHECK_QUERY, REBUILD_STATEMENTS } from './effective-access.sql.js';

export interface AccessDifference {
  kind: 'row' | 'count';
  application_id: string;
  user_id: string | null;
  problem: string;
  stored: unknown;
  expected: unknown;
}

/** Recomputes the whole index from the base tables in one transaction; returns the rows it holds. */
export async function rebuildEffectiveAccess(em: EntityManager): Promise<{ rows: number; counts: number }> {
  return em.transactional(async (tx) => {
    const connection = tx.getConnection();
    for (const statement of REBUILD_STATEMENTS) await connection.execute(statement, [], 'run', tx.getTransactionContext());
    const [{ rows, counts }] = await connection.execute<{ rows: unknown; counts: unknown }[]>(
      'select (select count(*) from effective_access) as rows, (select count(*) from effective_access_count) as counts',
      [],
      'all',
      tx.getTransactionContext(),
    );
    return { rows: Number(rows), counts: Number(counts) };
  });
}

/** Every difference between the index and a recomputation from the base tables (none = consistent). */
export async function checkEffectiveAccess(em: EntityManager): Promise<AccessDifference[]> {
  return em.getConnection().execute<AccessDifference[]>(CHECK_QUERY);
}
