import { UniqueConstraintViolationException, type EntityDictionary, type EntityName } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { ConflictError } from '../common/errors.js';
import { readRouteOf } from './replicas.js';
import { toCount, toPage, type Page, type PageRequest } from '../common/paging.js';

/**
 * Runs a knex query through the entity manager (so it joins its transaction and is counted per
 * request); outside a transaction, on the replica the request's read route chose (src/db/replicas.ts).
 */
export function rows<T = Record<string, unknown>>(em: EntityManager, qb: Knex.QueryBuilder | Knex.Raw): Promise<T[]> {
  const route = readRouteOf(em);
  return route ? route.rows<T[]>(em, qb) : em.execute<T[]>(qb as Knex.QueryBuilder);
}

/** Turns a unique-index violation into a 409 with a message naming what is taken. */
export async function uniquely<T>(work: () => Promise<T>, conflicts: Record<string, string>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      const text = String((error as Error).message);
      const hit = Object.keys(conflicts).find((index) => text.includes(index));
      throw new ConflictError(hit ? conflicts[hit] : 'A conflicting record already exists');
    }
    throw error;
  }
}

/**
 * One page of a root list: a count statement and a page statement over the same filtered query,
 * rows mapped onto `entity` (so totals always match what the filters let through).
 */
export async function fetchPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  filtered: Knex.QueryBuilder,
  alias: string,
  orderBy: { column: string; order?: 'asc' | 'desc' }[],
  request: PageRequest,
): Promise<Page<T>> {
  const [countRow] = await rows(em, filtered.clone().count({ total: '*' }));
  const found = await rows(
    em,
    filtered
      .select(`${alias}.*`)
      .orderBy(orderBy)
      .offset((request.page - 1) * request.perPage)
      .limit(request.perPage),
  );
  return toPage(
    found.map((row) => em.map(entity, row as EntityDictionary<T>)),
    toCount(countRow?.total),
    request,
  );
}
