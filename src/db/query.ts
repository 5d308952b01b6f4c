import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { ConflictError } from '../common/errors.js';

/** Runs a knex query through the entity manager (so it joins its transaction and is counted per request). */
export function rows<T = Record<string, unknown>>(em: EntityManager, qb: Knex.QueryBuilder | Knex.Raw): Promise<T[]> {
  return em.execute<T[]>(qb as Knex.QueryBuilder);
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
