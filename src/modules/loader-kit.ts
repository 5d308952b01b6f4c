import DataLoader from 'dataloader';
import type { Knex } from '@mikro-orm/postgresql';
import { countPerParent, pagePerParent, toCount, toPage, type Page, type PageRequest } from '../common/paging.js';
import { rows } from '../db/query.js';
import type { RequestContext } from './request-context.js';

/**
 * Building blocks of the per-request DataLoaders. Loaders are created per request (so the viewer's
 * visibility filter, baked into every query, never crosses requests); keys carry every option that
 * shapes the SQL, and one batch runs one statement per distinct option set, whatever the number of parents.
 */

/** Loads rows by id through `fetch` (which applies visibility); missing or invisible → null. */
export function byIdLoader<T extends { id: string }>(fetch: (ids: string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => {
    const found = new Map((await fetch([...ids])).map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

export interface Keyed<O> {
  parentId: string;
  options: O;
}

/** A loader keyed by (parent id, options): `batch` answers many parents sharing the same options at once. */
export function keyedLoader<O, V>(batch: (parentIds: string[], options: O) => Promise<Map<string, V>>, empty: () => V): DataLoader<Keyed<O>, V, string> {
  return new DataLoader<Keyed<O>, V, string>(
    async (keys) => {
      const groups = new Map<string, { options: O; parentIds: Set<string> }>();
      for (const key of keys) {
        const group = JSON.stringify(key.options ?? null);
        if (!groups.has(group)) groups.set(group, { options: key.options, parentIds: new Set() });
        groups.get(group)!.parentIds.add(key.parentId);
      }
      const answers = new Map<string, Map<string, V>>();
      await Promise.all([...groups].map(async ([group, { options, parentIds }]) => answers.set(group, await batch([...parentIds], options))));
      return keys.map((key) => answers.get(JSON.stringify(key.options ?? null))!.get(key.parentId) ?? empty());
    },
    { cacheKeyFn: (key) => JSON.stringify([key.parentId, key.options ?? null]) },
  );
}

/** Groups keyed rows (with `parent_key`) by parent. */
export function groupByParent<T>(found: Record<string, unknown>[], map: (row: Record<string, unknown>) => T): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of found) {
    const parent = String(row.parent_key);
    if (!grouped.has(parent)) grouped.set(parent, []);
    grouped.get(parent)!.push(map(row));
  }
  return grouped;
}

export interface ChildPagesSpec<T, O> {
  /** Rows of the children of `parentIds`, each with a `parent_key` column, filtered for the viewer. */
  base: (parentIds: string[], options: O) => Knex.QueryBuilder;
  /** ORDER BY over the base query's columns, as `b.<column>`. */
  orderBy: string;
  map: (row: Record<string, unknown>) => T;
  /** Adds columns computed only for the rows of the page (as `p`), e.g. lookups too costly for every row. */
  decorate?: (pageRows: Knex.QueryBuilder) => Knex.QueryBuilder;
}

/** A paginated nested list: one statement for the pages of all parents, one for their totals. */
export function childPages<T, O = null>(ctx: RequestContext, spec: ChildPagesSpec<T, O>) {
  const pages = keyedLoader<{ filter: O; page: PageRequest }, T[]>(
    async (parentIds, { filter, page }) => {
      const pageQuery = pagePerParent(ctx.knex, spec.base(parentIds, filter), spec.orderBy, page);
      const query = spec.decorate ? spec.decorate(ctx.knex.from(pageQuery.clearOrder().as('p'))).orderBy([{ column: 'p.parent_key' }, { column: 'p.page_row' }]) : pageQuery;
      const found = await rows(ctx.em, query);
      return groupByParent(found, spec.map);
    },
    () => [],
  );
  const counts = keyedLoader<O, number>(
    async (parentIds, filter) => {
      const found = await rows<{ parent_key: string; total: unknown }>(ctx.em, countPerParent(ctx.knex, spec.base(parentIds, filter)));
      return new Map(found.map((row) => [String(row.parent_key), toCount(row.total)]));
    },
    () => 0,
  );
  return {
    async page(parentId: string, filter: O, request: PageRequest): Promise<Page<T>> {
      const [items, total] = await Promise.all([pages.load({ parentId, options: { filter, page: request } }), counts.load({ parentId, options: filter })]);
      return toPage(items, total, request);
    },
    count(parentId: string, filter: O): Promise<number> {
      return counts.load({ parentId, options: filter });
    },
  };
}
