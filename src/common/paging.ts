import type { Knex } from '@mikro-orm/postgresql';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { ValidationError } from './errors.js';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE } from './page-limits.js';

export { DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE } from './page-limits.js';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 1, description: 'Page number, from 1.' })
  page: number = 1;

  @Field(() => Int, { defaultValue: DEFAULT_PER_PAGE, description: `Items per page, 1..${MAX_PER_PAGE}.` })
  perPage: number = DEFAULT_PER_PAGE;
}

export interface PageRequest {
  page: number;
  perPage: number;
}

/** Validates page/perPage (SPEC §4: page from 1, per_page 1..100). */
export function pageRequest(args: { page?: number | null; perPage?: number | null }): PageRequest {
  const page = args.page ?? 1;
  const perPage = args.perPage ?? DEFAULT_PER_PAGE;
  const issues = [];
  if (!Number.isInteger(page) || page < 1) issues.push({ path: ['page'], message: 'must be an integer >= 1', type: 'greater_than_equal' });
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    issues.push({ path: ['perPage'], message: `must be an integer between 1 and ${MAX_PER_PAGE}`, type: 'less_than_equal' });
  }
  if (issues.length) throw new ValidationError(issues);
  return { page, perPage };
}

// Plain data (as the page types below): graphql-js's default resolver, no type-graphql wrapper per field.
@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field(() => Int) page!: number;
  @Field(() => Int) perPage!: number;
  @Field(() => Int) totalItems!: number;
  @Field(() => Int) totalPages!: number;
}

export interface Page<T> {
  items: T[];
  pagination: PageInfo;
}

export function toPage<T>(items: T[], totalItems: number, request: PageRequest): Page<T> {
  return {
    items,
    pagination: {
      page: request.page,
      perPage: request.perPage,
      totalItems,
      totalPages: Math.ceil(totalItems / request.perPage),
    },
  };
}

/** `{ items, pagination }` object type for one item type. */
export function PageType<T extends object>(itemType: ClassType<T>, name: string) {
  @ObjectType(name, { simpleResolvers: true })
  class PageClass {
    @Field(() => [itemType]) items!: T[];
    @Field(() => PageInfo) pagination!: PageInfo;
  }
  return PageClass;
}

/** Row-number bounds of a page, 1-based inclusive. */
export function pageBounds(request: PageRequest): [number, number] {
  const first = (request.page - 1) * request.perPage + 1;
  return [first, first + request.perPage - 1];
}

/**
 * Wraps a query whose rows carry `parent_key` so that one statement returns one page per parent
 * (row_number over each parent's rows): the batch behind every nested paginated field.
 */
export function pagePerParent(knex: Knex, base: Knex.QueryBuilder, orderBy: string, request: PageRequest): Knex.QueryBuilder {
  const [first, last] = pageBounds(request);
  return knex
    .select('*')
    .from(
      knex
        .select('b.*', knex.raw(`row_number() over (partition by b.parent_key order by ${orderBy}) as page_row`))
        .from(base.as('b'))
        .as('numbered'),
    )
    .whereBetween('page_row', [first, last])
    .orderBy([{ column: 'parent_key' }, { column: 'page_row' }]);
}

/** Counts a keyed query's rows per parent in one statement. */
export function countPerParent(knex: Knex, base: Knex.QueryBuilder): Knex.QueryBuilder {
  return knex.select('b.parent_key').count({ total: '*' }).from(base.as('b')).groupBy('b.parent_key');
}

/** PostgreSQL counts arrive as strings from node-postgres and as numbers from PGlite. */
export function toCount(value: unknown): number {
  return Number(value ?? 0);
}

/** Strips the helper columns of keyed queries before a row is mapped onto an entity. */
export function entityColumns(row: Record<string, unknown>): Record<string, unknown> {
  const { parent_key: _parent, page_row: _row, ...rest } = row;
  return rest;
}
