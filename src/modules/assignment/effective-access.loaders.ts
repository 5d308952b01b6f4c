import { visibleEffectiveAccess, visibleEffectiveAccessCounts } from '../../auth/visibility.js';
import { ValidationError } from '../../common/errors.js';
import { MAX_PER_PAGE, pageRequest, toCount, type PageRequest } from '../../common/paging.js';
import { rows } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import { groupByParent, keyedLoader } from '../loader-kit.js';
import type { EffectiveUser, EffectiveUserPageResult } from './assignment.types.js';
import { decodeCursor, encodeCursor, type CursorPosition } from './effective-users.cursor.js';

export interface EffectiveUsersFilter {
  tenantId: string | null;
}

/** A page by number, or (`after` set) the `perPage` users following a cursor position. */
export interface EffectiveUsersRequest extends PageRequest {
  after: CursorPosition | null;
}

/**
 * Application.effectiveUsers / effectiveUserCount read from the effective-access index (see
 * effective-access.sql.ts), never recomputed per request:
 * - totals are sums over the visible tenants' rows of `effective_access_count`;
 * - pages are index range scans in (email, user id) order, one LATERAL per application, so a batch of
 *   applications is still one statement and page 1 reads O(page) index entries (no sort of the set).
 */
export function createEffectiveAccessLoaders(ctx: RequestContext) {
  const { em, knex, viewer } = ctx;

  const keys = (applicationIds: string[]) =>
    knex.raw(`(values ${applicationIds.map(() => '(?::uuid)').join(', ')}) as k(id)`, applicationIds);

  const pages = keyedLoader<{ filter: EffectiveUsersFilter; request: EffectiveUsersRequest }, Record<string, unknown>[]>(
    async (applicationIds, { filter, request }) => {
      // The page's keys by an index-only range scan (skipping `offset` entries reads the index only),
      // one row more than the page: whether a next page exists, without a count.
      const range = visibleEffectiveAccess(knex, viewer)
        .select('e.email', 'e.user_id')
        .whereRaw('e.application_id = k.id');
      if (filter.tenantId) range.where('e.tenant_id', filter.tenantId);
      if (request.after) range.whereRaw('(e.email, e.user_id) > (?, ?::uuid)', [request.after.email, request.after.userId]);
      range
        .orderBy([{ column: 'e.email' }, { column: 'e.user_id' }])
        .limit(request.perPage + 1)
        .offset(request.after ? 0 : (request.page - 1) * request.perPage);
      const query = knex
        .select(
          knex.raw('k.id as parent_key'),
          knex.raw('ea.user_id as id'),
          'u.email',
          'u.name',
          'ea.tenant_id',
          knex.raw('t.name as tenant_name'),
          'ea.direct',
          knex.raw('ea.email as sort_email'),
          // Group names only for the rows of the page.
          knex.raw(
            `coalesce((select json_agg(json_build_object('id', eg.id, 'name', eg.name) order by eg.name, eg.id) from user_group eg where eg.id = any(ea.group_ids)), '[]'::json) as groups`,
          ),
        )
        .from(keys(applicationIds))
        .crossJoin(knex.raw('lateral ? as r', [range]))
        .join('effective_access as ea', (j) => j.on('ea.application_id', 'k.id').andOn('ea.user_id', 'r.user_id'))
        .join('app_user as u', 'u.id', 'ea.user_id')
        .join('tenant as t', 't.id', 'ea.tenant_id')
        .orderByRaw('k.id, r.email, r.user_id');
      return groupByParent(await rows(em, query), (row) => row);
    },
    () => [],
  );

  const counts = keyedLoader<EffectiveUsersFilter, number>(async (applicationIds, filter) => {
    const query = visibleEffectiveAccessCounts(knex, viewer)
      .select(knex.raw('c.application_id as parent_key'))
      .sum({ total: 'c.user_count' })
      .whereIn('c.application_id', applicationIds)
      .groupBy('c.application_id');
    if (filter.tenantId) query.where('c.tenant_id', filter.tenantId);
    const found = await rows<{ parent_key: string; total: unknown }>(em, query);
    return new Map(found.map((row) => [String(row.parent_key), toCount(row.total)]));
  }, () => 0);

  const toEffectiveUser = (row: Record<string, unknown>): EffectiveUser => ({
    id: String(row.id),
    email: String(row.email),
    name: String(row.name),
    tenantId: String(row.tenant_id),
    tenantName: String(row.tenant_name),
    direct: Boolean(row.direct),
    groups: (typeof row.groups === 'string' ? JSON.parse(row.groups) : row.groups) as { id: string; name: string }[],
  });

  return {
    async page(applicationId: string, filter: EffectiveUsersFilter, request: EffectiveUsersRequest): Promise<EffectiveUserPageResult> {
      const [found, totalItems] = await Promise.all([
        pages.load({ parentId: applicationId, options: { filter, request } }),
        counts.load({ parentId: applicationId, options: filter }),
      ]);
      const onPage = found.slice(0, request.perPage);
      const last = onPage[onPage.length - 1];
      return {
        items: onPage.map(toEffectiveUser),
        pagination: { page: request.page, perPage: request.perPage, totalItems, totalPages: Math.ceil(totalItems / request.perPage) },
        hasNextPage: found.length > request.perPage,
        endCursor: last ? encodeCursor(applicationId, { email: String(last.sort_email), userId: String(last.id) }) : null,
      };
    },
    count(applicationId: string, filter: EffectiveUsersFilter): Promise<number> {
      return counts.load({ parentId: applicationId, options: filter });
    },
  };
}

/** The page asked for by `effectiveUsers` arguments: by number, or after a cursor of this application. */
export function effectiveUsersRequest(
  applicationId: string,
  args: { page?: number | null; perPage?: number | null; first?: number | null; after?: string | null },
): EffectiveUsersRequest {
  if (args.first != null && (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PER_PAGE)) {
    throw ValidationError.field(['first'], `must be an integer between 1 and ${MAX_PER_PAGE}`, 'less_than_equal');
  }
  const request = pageRequest({ page: args.page, perPage: args.first ?? args.perPage });
  if (args.after == null) return { ...request, after: null };
  if (request.page !== 1) throw ValidationError.field(['page'], 'cannot be combined with after', 'value_error');
  return { ...request, after: decodeCursor(args.after, applicationId) };
}
