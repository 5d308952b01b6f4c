import { UniqueConstraintViolationException, type EntityDictionary, type EntityName } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { ConflictError } from '../common/errors.js';
import { preparesStatements, primaryRows } from './prepared.js';
import { readRouteOf } from './replicas.js';
import { toCount, toPage, type Page, type PageRequest } from '../common/paging.js';

/**
 * Runs a knex query through the entity manager (so it joins its transaction and is counted per
 * request); outside a transaction, on the replica the request's read route chose (src/db/replicas.ts).
 * `prepared`: a hot read of fixed shape, run as a named prepared statement where the database allows
 * (src/db/prepared.ts); inside a transaction it runs as any other statement.
 */
export function rows<T = Record<string, unknown>>(em: EntityManager, qb: Knex.QueryBuilder | Knex.Raw, options: { prepared?: boolean } = {}): Promise<T[]> {
  const prepared = options.prepared === true && !em.isInTransaction() && preparesStatements(em);
  const route = readRouteOf(em);
  if (route) return route.rows<T[]>(em, qb, prepared);
  return primaryRows<T[]>(em, qb, prepared);
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
 * A count statement and a page statement over the same filtered query (so totals always match what the
 * filters let through); both prepared, as every list shows them.
 */
async function pageOfRows<R>(
  em: EntityManager,
  filtered: Knex.QueryBuilder,
  columns: string[],
  orderBy: { column: string; order?: 'asc' | 'desc' }[],
  request: PageRequest,
  toItem: (row: Record<string, unknown>) => R,
): Promise<Page<R>> {
  const [countRow] = await rows(em, filtered.clone().count({ total: '*' }), { prepared: true });
  const found = await rows(
    em,
    filtered
      .select(columns)
      .orderBy(orderBy)
      .offset((request.page - 1) * request.perPage)
      .limit(request.perPage),
    { prepared: true },
  );
  return toPage(found.map(toItem), toCount(countRow?.total), request);
}

/** One page of a root list, rows mapped onto `entity` as managed entities. */
export function fetchPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  filtered: Knex.QueryBuilder,
  alias: string,
  orderBy: { column: string; order?: 'asc' | 'desc' }[],
  request: PageRequest,
): Promise<Page<T>> {
  return pageOfRows(em, filtered, [`${alias}.*`], orderBy, request, (row) => em.map(entity, row as EntityDictionary<T>));
}

/** Per entity: its persisted columns that are not lazy, worked out once. */
const viewColumns = new WeakMap<object, string[]>();

/**
 * One page of a root list that is only read: each row named and converted as MikroORM maps it (its
 * result mapper), in a plain object rather than a managed entity, and without the entity's lazy
 * columns (e.g. secret hashes). Hydrating rows into entities and registering them in the unit of work
 * is most of the gateway's CPU for a long page, and a read-only list needs neither.
 */
export function fetchViewPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  filtered: Knex.QueryBuilder,
  alias: string,
  orderBy: { column: string; order?: 'asc' | 'desc' }[],
  request: PageRequest,
): Promise<Page<T>> {
  const meta = em.getMetadata().get(entity);
  let columns = viewColumns.get(meta);
  if (!columns) {
    columns = meta.props.filter((prop) => prop.fieldNames?.length && !prop.lazy && prop.persist !== false).map((prop) => prop.fieldNames[0]);
    viewColumns.set(meta, columns);
  }
  const driver = em.getDriver();
  return pageOfRows(
    em,
    filtered,
    columns.map((column) => `${alias}.${column}`),
    orderBy,
    request,
    (row) => driver.mapResult(row as EntityDictionary<T>, meta) as T,
  );
}
