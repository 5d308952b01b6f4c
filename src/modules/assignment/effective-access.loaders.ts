import { visibleApplications, visibleEffectiveAccess, visibleEffectiveAccessCounts, visibleTenants } from '../../auth/visibility.js';
import type { Knex } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { NotFoundError, ValidationError } from '../../common/errors.js';
import { MAX_PER_PAGE, pageRequest, toCount, type PageRequest } from '../../common/paging.js';
import { rows } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import type { EffectiveUser, EffectiveUserPageResult } from './assignment.types.js';
import { nearestAnchor, rememberAnchors, type Anchor } from './effective-users.anchors.js';
import { decodeCursor, encodeCursor, type CursorPosition } from './effective-users.cursor.js';
import { viaGroupsJson } from './effective-access.sql.js';
import { selectsPath } from '../../common/graphql-selection.js';

export interface EffectiveUsersFilter {
  tenantId: string | null;
}

/** What of an effective-users page the operation selects, as far as the read statement cares. */
export interface EffectiveUsersSelection {
  /** Whether the rows' group names are read: false when the operation shows no `groups` (their lookup is most of a small page's SQL). */
  groups: boolean;
}

/** A page by number, or (`after` set) the `perPage` users following a cursor position, with what of it is shown. */
export interface EffectiveUsersRequest extends PageRequest, EffectiveUsersSelection {
  after: CursorPosition | null;
}

/** The selection under an `effectiveUsers` field being resolved. */
export const effectiveUsersSelection = (info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments' | 'variableValues'>): EffectiveUsersSelection => ({
  groups: selectsPath(info, ['items', 'groups']),
});

/** What one read statement answers per application: its total for the viewer, and the page when asked. */
interface ApplicationRead {
  total: number;
  rows: Record<string, unknown>[];
  applicationVisible: boolean;
  tenantVisible: boolean;
}

/** A read of one application: the total alone (`request` null) or the total and a page. */
interface ReadKey {
  parentId: string;
  filter: EffectiveUsersFilter;
  request: EffectiveUsersRequest | null;
}

/**
 * Read statements compiled once per shape. Building and compiling the statement with knex cost more
 * gateway CPU than anything else of a page read, yet for one viewer and one shape (number of
 * applications, which are paged or anchored, which filters are set, page and page size) only the bound
 * values differ. The statement is built with marker strings in place of those values; the compiled
 * text is kept with the positions of the markers among its bindings, and later reads bind their own
 * values there. The viewer is part of the shape as a whole (every field of it), so whatever SQL the
 * visibility builders derive from it is never shared between viewers. A shape whose markers do not come
 * out as plain bindings (a value copied into the SQL text or transformed) is not cached.
 */
// NUL never reaches a bound value (the input guard rejects it), so a marker cannot be mistaken for data.
const MARKER = '\u0000idgraph-bind:';
interface CompiledRead {
  sql: string;
  /** Per binding: the slot of the read's values it takes, or -1 for a constant (then `constants`). */
  slots: number[];
  constants: Knex.Value[];
}
const MAX_COMPILED_SHAPES = 500;
const compiledReads = new WeakMap<object, Map<string, CompiledRead | null>>();

function compileRead(query: Knex.QueryBuilder, slotCount: number): CompiledRead | null {
  const { sql, bindings } = query.toSQL();
  if (sql.includes(MARKER)) return null;
  const slots: number[] = [];
  const constants: Knex.Value[] = [];
  for (const binding of bindings) {
    if (typeof binding === 'string' && binding.includes(MARKER)) {
      const slot = Number(binding.slice(MARKER.length));
      if (!binding.startsWith(MARKER) || !Number.isInteger(slot) || slot < 0 || slot >= slotCount || binding !== `${MARKER}${slot}`) return null;
      slots.push(slot);
      constants.push(null);
    } else {
      slots.push(-1);
      constants.push(binding);
    }
  }
  return { sql, slots, constants };
}

const viewerShape = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (v instanceof Set ? [...(v as Set<unknown>)].sort() : v));

/**
 * Application.effectiveUsers / effectiveUserCount read from the effective-access index (see
 * effective-access.sql.ts), never recomputed per request:
 * - totals are sums over the visible tenants' rows of `effective_access_count`;
 * - pages are index range scans in (email, user id) order, one LATERAL per application, so a batch of
 *   applications is still one statement and page 1 reads O(page) index entries (no sort of the set);
 * - the total and the page come from the same statement (one round trip, one snapshot), and a count
 *   asked next to a page of the same application (`effectiveUserCount` beside `effectiveUsers`) rides along;
 * - deep pages skip from the nearest known page-boundary key of the same index version
 *   (effective-users.anchors.ts) instead of from the start of the range.
 */
export function createEffectiveAccessLoaders(ctx: RequestContext) {
  const { em, knex, viewer } = ctx;
  const database = em.getDriver();

  /** The range's tenant constraint when it is the index's own (anchors are kept per range), else null. */
  const anchorRange = (applicationId: string, filter: EffectiveUsersFilter): string | null => {
    switch (viewer.kind) {
      case 'super_admin':
      case 'application':
        return `${applicationId}|*|${filter.tenantId ?? '*'}`;
      case 'tenant_admin':
        return `${applicationId}|${viewer.tenantId}|${filter.tenantId ?? '*'}`;
      default:
        return null;
    }
  };

  /**
   * One statement: per application of `parents`, the total, the index version and, for `paged` ones,
   * the page (its rows, one row more than the page: whether a next page exists, without a count).
   * `checks` adds whether the application (and the tenant filter) are visible to the viewer, for a
   * top-level read that would otherwise look them up first.
   */
  const readStatement = (
    parents: { id: string; paged: boolean; anchor: Anchor | null }[],
    filter: EffectiveUsersFilter,
    request: EffectiveUsersRequest | null,
    checks?: { tenantId: string | null },
  ) => {
    const values = parents.flatMap((p) => [p.id, p.paged, p.anchor?.version ?? null, p.anchor?.email ?? null, p.anchor?.userId ?? null, p.anchor?.position ?? null]);
    const keys = knex.raw(
      `(values ${parents.map(() => '(?::uuid, ?::boolean, ?::bigint, ?::text collate "C", ?::uuid, ?::integer)').join(', ')}) as k(id, paged, anchor_version, anchor_email, anchor_user, anchor_position)`,
      values,
    );
    const total = visibleEffectiveAccessCounts(knex, viewer).select(knex.raw('coalesce(sum(c.user_count), 0) as total')).whereRaw('c.application_id = k.id');
    if (filter.tenantId) total.where('c.tenant_id', filter.tenantId);

    // Per application, once: its total, index version and visibility checks. `offset 0` keeps this apart
    // from the page join below: flattened, PostgreSQL may sum an application's counts once per page row
    // instead of once (300 sums for 50 applications × 6 rows; 3.9 → 3.1 ms of the L bench's 50-application read).
    const perApplication = knex
      .from(keys)
      .crossJoin(knex.raw('lateral ? as c', [total]))
      .leftJoin('effective_access_version as v', 'v.application_id', 'k.id')
      .select('k.*', 'c.total', knex.raw('v.version::text as version'))
      .offset(knex.raw('0') as unknown as number); // a raw 0: knex leaves out a plain offset(0)
    if (checks) {
      const application = visibleApplications(knex, viewer).select(knex.raw('1')).whereRaw('a.id = k.id');
      perApplication.select(knex.raw('exists ? as application_visible', [application]));
      const tenant = checks.tenantId ? visibleTenants(knex, viewer).select(knex.raw('1')).where('t.id', checks.tenantId) : null;
      perApplication.select(tenant ? knex.raw('exists ? as tenant_visible', [tenant]) : knex.raw('true as tenant_visible'));
    }
    const query = knex.from(perApplication.as('k')).select(knex.raw('k.id as parent_key'));
    // An application's own values on its first row only (nulls after it cost the driver nothing to
    // parse): a page of 50 would otherwise repeat them 50 times. `read` takes them from that row.
    const perApplicationColumns = ['total', 'version', ...(checks ? ['application_visible', 'tenant_visible'] : [])];
    if (request) {
      const firstRow = 'row_number() over (partition by k.id order by p.email, p.id) = 1';
      for (const column of perApplicationColumns) query.select(knex.raw(`case when ${firstRow} then k.${column} end as ${column}`));
    } else query.select(perApplicationColumns.map((column) => `k.${column}`));
    if (request) {
      const offset = request.after ? 0 : (request.page - 1) * request.perPage;
      // The page's keys by an index-only range scan (skipping entries reads the index only). Two
      // branches, one of which a one-time filter turns off: from the anchor when the application's
      // index version is still the anchor's, else from the start (or the cursor).
      const anchored = parents.some((p) => p.anchor);
      const anchorValid = 'k.anchor_version = (select av.version from effective_access_version av where av.application_id = k.id)';
      const branch = (fromAnchor: boolean) => {
        const range = visibleEffectiveAccess(knex, viewer).select('e.email', 'e.user_id').whereRaw('e.application_id = k.id').whereRaw('k.paged');
        if (filter.tenantId) range.where('e.tenant_id', filter.tenantId);
        if (request.after) range.whereRaw('(e.email, e.user_id) > (?, ?::uuid)', [request.after.email, request.after.userId]);
        if (fromAnchor) range.whereRaw(anchorValid).whereRaw('(e.email, e.user_id) >= (k.anchor_email, k.anchor_user)');
        else if (anchored) range.whereRaw(`(${anchorValid}) is not true`);
        range.orderBy([{ column: 'e.email' }, { column: 'e.user_id' }]).limit(request.perPage + 1);
        if (fromAnchor) range.offset(knex.raw('? - k.anchor_position', [offset]) as unknown as number);
        else range.offset(offset);
        return range;
      };
      const range = anchored ? knex.raw('(? union all ?) as r', [branch(true), branch(false)]) : knex.raw('? as r', [branch(false)]);
      const page = knex
        .select(
          // The index's email is the user's (kept in the writing transaction): the sort key and the shown value.
          'r.email',
          knex.raw('ea.user_id as id'),
          'u.name',
          'ea.tenant_id',
          knex.raw('t.name as tenant_name'),
          'ea.direct',
          // Group names only for the rows of the page, and only when asked for.
          knex.raw(request.groups ? `${viaGroupsJson('ea.group_ids')} as groups` : 'null::json as groups'),
        )
        .from(range)
        .join('effective_access as ea', (j) => j.on('ea.application_id', 'k.id').andOn('ea.user_id', 'r.user_id'))
        .join('app_user as u', 'u.id', 'ea.user_id')
        .join('tenant as t', 't.id', 'ea.tenant_id');
      query
        .select('p.*')
        .joinRaw('left join lateral ? as p on true', [page as unknown as Knex.Raw])
        .orderByRaw('k.id, p.email, p.id');
    }
    return query;
  };

  /**
   * The read statement with this read's values bound into the compiled statement of its shape (see
   * `compiledReads`); built afresh when the shape cannot be cached.
   */
  const compiledStatement = (
    parents: { id: string; paged: boolean; anchor: Anchor | null }[],
    filter: EffectiveUsersFilter,
    request: EffectiveUsersRequest | null,
    checks?: { tenantId: string | null },
  ): Knex.QueryBuilder | Knex.Raw => {
    // The values a read binds, in a fixed order, and the same inputs with markers in their place.
    const values: Knex.Value[] = [];
    const slot = (value: Knex.Value) => `${MARKER}${values.push(value) - 1}`;
    const marked = {
      parents: parents.map((p) => ({
        id: slot(p.id),
        paged: p.paged,
        anchor: p.anchor && { version: slot(p.anchor.version), email: slot(p.anchor.email), userId: slot(p.anchor.userId), position: slot(p.anchor.position) as unknown as number },
      })),
      filter: { tenantId: filter.tenantId && slot(filter.tenantId) },
      request: request && { ...request, after: request.after && { email: slot(request.after.email), userId: slot(request.after.userId) } },
      checks: checks && { tenantId: checks.tenantId && slot(checks.tenantId) },
    };
    const shape = JSON.stringify([
      viewerShape(viewer),
      parents.map((p) => `${p.paged ? 'p' : 'c'}${p.anchor ? 'a' : ''}`).join(''),
      filter.tenantId != null,
      request && [request.page, request.perPage, request.after != null, request.groups],
      checks && checks.tenantId != null,
    ]);
    let cache = compiledReads.get(knex.client as object);
    if (!cache) compiledReads.set(knex.client as object, (cache = new Map<string, CompiledRead | null>()));
    let compiled = cache.get(shape);
    if (compiled === undefined) {
      compiled = compileRead(readStatement(marked.parents, marked.filter, marked.request, marked.checks), values.length);
      if (cache.size >= MAX_COMPILED_SHAPES) cache.clear();
      cache.set(shape, compiled);
    }
    if (!compiled) return readStatement(parents, filter, request, checks);
    const { slots, constants } = compiled;
    return knex.raw(
      compiled.sql,
      slots.map((at, i) => (at < 0 ? constants[i] : values[at])),
    );
  };

  /** Runs one read statement; remembers the page boundaries it saw. */
  const read = async (
    parents: { id: string; paged: boolean }[],
    filter: EffectiveUsersFilter,
    request: EffectiveUsersRequest | null,
    checks?: { tenantId: string | null },
  ): Promise<Map<string, ApplicationRead>> => {
    const offset = request && !request.after ? (request.page - 1) * request.perPage : 0;
    const withAnchors = parents.map((p) => {
      const range = p.paged && offset > 0 ? anchorRange(p.id, filter) : null;
      return { ...p, anchor: range ? nearestAnchor(database, range, offset) : null };
    });
    const found = new Map<string, ApplicationRead & { version: string | null }>();
    for (const row of await rows(em, compiledStatement(withAnchors, filter, request, checks), { prepared: true })) {
      const parent = String(row.parent_key);
      let entry = found.get(parent);
      if (!entry) {
        entry = {
          total: toCount(row.total),
          rows: [],
          version: row.version == null ? null : (row.version as string | number).toString(),
          applicationVisible: row.application_visible !== false,
          tenantVisible: row.tenant_visible !== false,
        };
        found.set(parent, entry);
      }
      if (row.id != null) entry.rows.push(row);
    }
    if (request && !request.after) {
      for (const p of parents) {
        const entry = found.get(p.id);
        const range = p.paged ? anchorRange(p.id, filter) : null;
        if (!entry || !range || entry.version == null) continue;
        // The page's first key and the one after it (the next page's first): a reader walking pages skips one page's worth at most.
        const keys = [0, request.perPage]
          .filter((i) => i < entry.rows.length)
          .map((i) => ({ position: offset + i, email: String(entry.rows[i].email), userId: String(entry.rows[i].id) }));
        rememberAnchors(database, range, entry.version, keys);
      }
    }
    return found;
  };

  /** Reads batched per filter: one statement per distinct page request; bare counts ride along with the first. */
  const reads = new DataLoader<ReadKey, ApplicationRead, string>(
    async (batch) => {
      const byFilter = new Map<string, { filter: EffectiveUsersFilter; requests: Map<string, { request: EffectiveUsersRequest; ids: Set<string> }>; countOnly: Set<string> }>();
      for (const key of batch) {
        const filterKey = JSON.stringify(key.filter);
        let group = byFilter.get(filterKey);
        if (!group) byFilter.set(filterKey, (group = { filter: key.filter, requests: new Map(), countOnly: new Set() }));
        if (!key.request) {
          group.countOnly.add(key.parentId);
          continue;
        }
        const requestKey = JSON.stringify(key.request);
        if (!group.requests.has(requestKey)) group.requests.set(requestKey, { request: key.request, ids: new Set() });
        group.requests.get(requestKey)!.ids.add(key.parentId);
      }
      const answers = new Map<string, ApplicationRead>();
      const answerKey = (parentId: string, filter: EffectiveUsersFilter, request: EffectiveUsersRequest | null) => JSON.stringify([parentId, filter, request]);
      await Promise.all(
        [...byFilter.values()].flatMap(({ filter, requests, countOnly }) => {
          const statements: { request: EffectiveUsersRequest | null; parents: { id: string; paged: boolean }[] }[] = [...requests.values()].map(({ request, ids }, i) => {
            const parents = [...ids].map((id) => ({ id, paged: true }));
            // The first statement also answers the counts asked alone.
            if (i === 0) for (const id of countOnly) if (!ids.has(id)) parents.push({ id, paged: false });
            return { request, parents };
          });
          if (statements.length === 0) statements.push({ request: null, parents: [...countOnly].map((id) => ({ id, paged: false })) });
          return statements.map(async ({ request, parents }, i) => {
            const found = await read(parents, filter, request);
            for (const p of parents) {
              const entry = found.get(p.id) ?? { total: 0, rows: [], applicationVisible: true, tenantVisible: true };
              if (p.paged) answers.set(answerKey(p.id, filter, request), entry);
              if (i === 0 && countOnly.has(p.id)) answers.set(answerKey(p.id, filter, null), entry);
            }
          });
        }),
      );
      return batch.map((key) => answers.get(answerKey(key.parentId, key.filter, key.request))!);
    },
    { cacheKeyFn: (key) => JSON.stringify([key.parentId, key.filter, key.request]) },
  );

  const toEffectiveUser = (row: Record<string, unknown>): EffectiveUser => ({
    id: String(row.id),
    email: String(row.email),
    name: String(row.name),
    tenantId: String(row.tenant_id),
    tenantName: String(row.tenant_name),
    direct: Boolean(row.direct),
    // Null when the operation did not select them (`groups: false`): never shown then.
    groups: (row.groups == null ? [] : typeof row.groups === 'string' ? JSON.parse(row.groups) : row.groups) as { id: string; name: string }[],
  });

  const toPageResult = (applicationId: string, request: EffectiveUsersRequest, { total, rows: found }: ApplicationRead): EffectiveUserPageResult => {
    const onPage = found.slice(0, request.perPage);
    const last = onPage[onPage.length - 1];
    let endCursor: string | null | undefined;
    return {
      items: onPage.map(toEffectiveUser),
      pagination: { page: request.page, perPage: request.perPage, totalItems: total, totalPages: Math.ceil(total / request.perPage) },
      hasNextPage: found.length > request.perPage,
      // Signed when read: most pages (nested ones in a list, REST envelopes without `cursor`) never show it.
      get endCursor() {
        if (endCursor === undefined) endCursor = last ? encodeCursor(applicationId, { email: String(last.email), userId: String(last.id) }) : null;
        return endCursor;
      },
    };
  };

  return {
    async page(applicationId: string, filter: EffectiveUsersFilter, request: EffectiveUsersRequest): Promise<EffectiveUserPageResult> {
      return toPageResult(applicationId, request, await reads.load({ parentId: applicationId, filter, request }));
    },
    /**
     * A top-level page: the application's visibility (and the tenant filter's, when `checkTenant`) come
     * from the page's own statement rather than from lookups before it; invisible → NOT_FOUND as before,
     * the application first.
     */
    async checkedPage(applicationId: string, filter: EffectiveUsersFilter, request: EffectiveUsersRequest, checkTenant: boolean): Promise<EffectiveUserPageResult> {
      const found = (await read([{ id: applicationId, paged: true }], filter, request, { tenantId: checkTenant ? filter.tenantId : null })).get(applicationId)!;
      if (!found.applicationVisible) throw new NotFoundError('Application', applicationId);
      if (!found.tenantVisible) throw new NotFoundError('Tenant', filter.tenantId!);
      return toPageResult(applicationId, request, found);
    },
    async count(applicationId: string, filter: EffectiveUsersFilter): Promise<number> {
      return (await reads.load({ parentId: applicationId, filter, request: null })).total;
    },
  };
}

/** The page asked for by `effectiveUsers` arguments: by number, or after a cursor of this application. */
export function effectiveUsersRequest(
  applicationId: string,
  args: { page?: number | null; perPage?: number | null; first?: number | null; after?: string | null },
  selection: EffectiveUsersSelection = { groups: true },
): EffectiveUsersRequest {
  if (args.first != null && (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PER_PAGE)) {
    throw ValidationError.field(['first'], `must be an integer between 1 and ${MAX_PER_PAGE}`, 'less_than_equal');
  }
  const request = pageRequest({ page: args.page, perPage: args.first ?? args.perPage });
  if (args.after == null) return { ...request, ...selection, after: null };
  if (request.page !== 1) throw ValidationError.field(['page'], 'cannot be combined with after', 'value_error');
  return { ...request, ...selection, after: decodeCursor(args.after, applicationId) };
}
