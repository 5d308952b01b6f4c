import { timingSafeEqual } from 'node:crypto';
import type { GraphQLResolveInfo } from 'graphql';
import { applicationsInReach, reachableUsers, visibleAccessChanges, visibleApplications } from '../../auth/visibility.js';
import { GoneError, NotFoundError, ValidationError } from '../../common/errors.js';
import { InputCheck } from '../../common/validate.js';
import { rows } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import type { ApplicationService } from '../application/application.service.js';
import type { GroupService } from '../group/group.service.js';
import type { UserService } from '../user/user.service.js';
import { signCursorPayload } from '../assignment/effective-users.cursor.js';
import { viaGroupsJson } from '../assignment/effective-access.sql.js';
import { selectsPath } from '../../common/graphql-selection.js';
import type { EffectiveUser } from '../assignment/assignment.types.js';
import {
  AccessBlock,
  AccessChangeKind,
  type AccessBlocker,
  type AccessChange,
  type AccessChangeType,
  type AccessChangeInput,
  type AccessChangePage,
  type AccessExplanation,
  type AccessPreview,
} from './access.types.js';

const DAY_MS = 86_400_000;
/** A cursor is refused when it is older than the retention minus this margin (a transaction that commits late keeps its start time). */
const GONE_MARGIN_MS = 3_600_000;
const PRUNE_EVERY_MS = 600_000;
const PREVIEW_LOSERS = 50;
const MAX_CHANGES_PER_PAGE = 100;

/** ACCESS_CHANGES_RETENTION_DAYS (default 30): how long the change feed keeps its rows. */
export function accessChangesRetentionDays(): number {
  const days = Number(process.env.ACCESS_CHANGES_RETENTION_DAYS ?? 30);
  return Number.isFinite(days) && days > 0 ? days : 30;
}

const FEED_CURSOR = 'idgraph access-changes cursor v1';

/** A feed position: after change `id` of `applicationId`, issued at `issuedAt` (ms). Opaque and signed. */
export function encodeFeedCursor(applicationId: string, id: string, issuedAt = Date.now()): string {
  const payload = Buffer.from(JSON.stringify([applicationId, id, issuedAt])).toString('base64url');
  return `${payload}.${signCursorPayload(FEED_CURSOR, payload).toString('base64url')}`;
}

export function decodeFeedCursor(cursor: string, applicationId: string, field: string): { id: string; issuedAt: number } {
  const invalid = (message: string) => ValidationError.field([field], message, 'value_error');
  const [payload, signature, ...rest] = cursor.split('.');
  if (!payload || !signature || rest.length) throw invalid('is not a cursor returned by this server');
  const expected = signCursorPayload(FEED_CURSOR, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('is not a cursor returned by this server');
  const [cursorApplication, id, issuedAt] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [string, string, number];
  if (cursorApplication !== applicationId) throw invalid('belongs to another application');
  if (issuedAt < Date.now() - accessChangesRetentionDays() * DAY_MS + GONE_MARGIN_MS) {
    throw new GoneError('This cursor is older than the change retention; read all effective users again (their changesCursor) and poll from there.');
  }
  return { id, issuedAt };
}

let lastPrune = 0;

/** The columns that `changes` selects from access_change (id is a bigint, text on the wire). */
interface AccessChangeRow {
  id: string | number;
  application_id: string;
  user_id: string;
  tenant_id: string;
  email: string | null;
  change: AccessChangeType;
  cause_action: string | null;
  cause_target_type: string | null;
  cause_target_id: string | null;
  actor_type: string | null;
  actor_id: string | null;
  created_at: Date | string;
}

/** The user and application rows that `explain` reads. */
interface ExplainedUserRow {
  id: string;
  tenant_id: string;
  status: string;
  user_deleted: boolean;
  tenant_deleted: boolean;
  partner_id: string | null;
}
interface ExplainedApplicationRow {
  id: string;
  scope: string;
  partner_id: string | null;
  tenant_id: string | null;
  deleted: boolean;
}

/** A row of the what-if query in `preview`: per application, its counts and (n not null) one losing user. */
interface PreviewRow {
  application_id: string;
  application_name: string;
  losing_count: number;
  keeping_count: number;
  n: string | number | null;
  id: string;
  email: string;
  name: string;
  tenant_id: string;
  tenant_name: string;
  direct: boolean;
  groups: EffectiveUser['groups'];
}

/** Access insight (issue 11): explanation, what-if preview and the change feed. */
export class AccessService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly services: {
      applications: Pick<ApplicationService, 'get'>;
      users: Pick<UserService, 'get'>;
      groups: Pick<GroupService, 'get'>;
    },
  ) {}

  // ---------------- change feed ----------------

  /** The feed's current end for an application: a cursor from which a poll sees every later change. */
  async changesCursor(applicationId: string): Promise<string> {
    const [row] = await rows<{ id: string | null }>(this.ctx.em, this.ctx.knex('access_change').max({ id: 'id' }).where('application_id', applicationId));
    return encodeFeedCursor(applicationId, String(row?.id ?? 0));
  }

  async changes(applicationId: string, after: string | null | undefined, first: number | null | undefined, field = { after: 'after', first: 'first' }): Promise<AccessChangePage> {
    const limit = first ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CHANGES_PER_PAGE) {
      throw ValidationError.field([field.first], `must be an integer between 1 and ${MAX_CHANGES_PER_PAGE}`, 'less_than_equal');
    }
    const position = after ? decodeFeedCursor(after, applicationId, field.after).id : '0';
    await this.services.applications.get(applicationId);
    await this.pruneNowAndThen();
    const { knex, viewer } = this.ctx;
    const query = visibleAccessChanges(knex, viewer)
      .leftJoin('app_user as u', 'u.id', 'c.user_id')
      .select(
        'c.id',
        'c.application_id',
        'c.user_id',
        'c.tenant_id',
        'u.email',
        'c.change',
        'c.cause_action',
        'c.cause_target_type',
        'c.cause_target_id',
        'c.actor_type',
        'c.actor_id',
        'c.created_at',
      )
      .where('c.application_id', applicationId)
      .where('c.id', '>', position)
      .orderBy('c.id')
      .limit(limit + 1);
    const found = await rows<AccessChangeRow>(this.ctx.em, query);
    const page = found.slice(0, limit);
    // The next position is the last row returned (rows the viewer may not see are filtered out in SQL); an empty page keeps it.
    const last = page.length ? String(page[page.length - 1].id) : position;
    return {
      items: page.map((r): AccessChange => ({
        applicationId: r.application_id,
        userId: r.user_id,
        tenantId: r.tenant_id,
        email: r.email ?? null,
        change: r.change,
        causeAction: r.cause_action,
        causeTargetType: r.cause_target_type,
        causeTargetId: r.cause_target_id,
        actorType: r.actor_type,
        actorId: r.actor_id,
        at: new Date(r.created_at),
      })),
      endCursor: encodeFeedCursor(applicationId, last),
      hasNextPage: found.length > limit,
    };
  }

  /** Drops feed rows older than the retention, at most every 10 minutes per process (one indexed delete). */
  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = Date.now();
    await this.ctx.em.execute(`delete from access_change where created_at < now() - make_interval(days => ${accessChangesRetentionDays()})`);
  }

  // ---------------- explanation ----------------

  /**
   * Why `userId` does or does not hold `applicationId`. The user is found when its tenant (deleted or
   * not) is in the caller's reach, the application when the caller could see it by scope (deleted or
   * not): a deleted user, tenant or application is then a reason in `blockedBy` rather than a 404.
   */
  async explain(applicationId: string, userId: string, tenantId: string | null): Promise<AccessExplanation> {
    const { em, knex, viewer } = this.ctx;
    const userQuery = reachableUsers(knex, viewer)
      .join('tenant as t', 't.id', 'u.tenant_id')
      .select('u.id', 'u.tenant_id', 'u.status', knex.raw('u.deleted_at is not null as user_deleted'), knex.raw('t.deleted_at is not null as tenant_deleted'), 't.partner_id')
      .where('u.id', userId);
    if (tenantId) userQuery.where('u.tenant_id', tenantId);
    const [user] = await rows<ExplainedUserRow>(em, userQuery);
    if (!user) throw new NotFoundError('User', userId);
    const appQuery = applicationsInReach(knex, viewer)
      .select('a.id', 'a.scope', 'a.partner_id', 'a.tenant_id', knex.raw('a.deleted_at is not null as deleted'))
      .where('a.id', applicationId);
    const [application] = await rows<ExplainedApplicationRow>(em, appQuery);
    if (!application) throw new NotFoundError('Application', applicationId);

    const [direct] = await rows<{ created_at: Date }>(em, knex('app_assignment').select('created_at').where({ application_id: applicationId, user_id: userId }));
    const groups = await rows<{ id: string; name: string; deleted: boolean; created_at: Date }>(
      em,
      knex('group_member as m')
        .join('user_group as g', 'g.id', 'm.group_id')
        .join('app_assignment as ga', (j) => j.on('ga.group_id', 'g.id').andOnVal('ga.application_id', applicationId))
        .select('g.id', 'g.name', knex.raw('g.deleted_at is not null as deleted'), 'ga.created_at')
        .where('m.user_id', userId)
        .orderBy(['g.name', 'g.id']),
    );
    const liveGroups = groups.filter((g) => !g.deleted);
    const blockedBy: AccessBlocker[] = [];
    if (direct || groups.length) {
      const block = (reason: AccessBlock, groupId: string | null = null) => blockedBy.push({ reason, groupId });
      if (user.user_deleted) block(AccessBlock.USER_DELETED);
      if (user.status !== 'active') block(AccessBlock.USER_DISABLED);
      if (user.tenant_deleted) block(AccessBlock.TENANT_DELETED);
      const available =
        application.scope === 'GLOBAL' ||
        (application.scope === 'PARTNER' && application.partner_id === user.partner_id) ||
        (application.scope === 'TENANT' && application.tenant_id === user.tenant_id);
      if (!available) block(AccessBlock.OUT_OF_SCOPE);
      if (application.deleted) block(AccessBlock.APPLICATION_DELETED);
      for (const g of groups) if (g.deleted) block(AccessBlock.GROUP_DELETED, g.id);
    }
    const pathCounts = Boolean(direct) || liveGroups.length > 0;
    const blocksAll = blockedBy.some((b) => b.reason !== AccessBlock.GROUP_DELETED);
    return {
      applicationId,
      userId,
      tenantId: user.tenant_id,
      hasAccess: pathCounts && !blocksAll,
      direct: direct ? { assignedAt: new Date(direct.created_at) } : null,
      viaGroups: liveGroups.map((g) => ({ groupId: g.id, groupName: g.name, assignedAt: new Date(g.created_at) })),
      blockedBy,
    };
  }

  // ---------------- what-if preview ----------------

  /**
   * Who would lose access if `change` were made: SQL over the effective-access index (its `direct` and
   * live `group_ids` say which other paths remain); nothing is written. The caller must be able to make
   * the change: the same lookups as the write (invisible → NOT_FOUND).
   */
  async preview(change: AccessChangeInput): Promise<AccessPreview> {
    const { em, knex, viewer } = this.ctx;
    const { services } = this;
    const check = new InputCheck(['change']);
    const needs: Record<AccessChangeKind, ('applicationId' | 'userId' | 'groupId')[]> = {
      UNASSIGN_FROM_USER: ['applicationId', 'userId'],
      UNASSIGN_FROM_GROUP: ['applicationId', 'groupId'],
      REMOVE_GROUP_MEMBER: ['groupId', 'userId'],
      DELETE_GROUP: ['groupId'],
      DELETE_USER: ['userId'],
      DISABLE_USER: ['userId'],
    };
    for (const field of needs[change.kind]) if (!change[field]) check.fail(field, `field required for ${change.kind}`, 'missing');
    check.done();
    const { tenantId } = change;
    if (change.userId) await services.users.get(tenantId, change.userId);
    if (change.groupId) await services.groups.get(tenantId, change.groupId);
    if (change.applicationId) {
      const visible = visibleApplications(knex, viewer).select('a.id').where('a.id', change.applicationId);
      if (!(await rows(em, visible)).length) throw new NotFoundError('Application', change.applicationId);
      const assigned = await rows(
        em,
        knex('app_assignment')
          .select('id')
          .where({
            tenant_id: tenantId,
            application_id: change.applicationId,
            ...(change.kind === AccessChangeKind.UNASSIGN_FROM_USER ? { user_id: change.userId } : { group_id: change.groupId }),
          }),
      );
      if (!assigned.length) throw new NotFoundError('Assignment of application', change.applicationId);
    }
    if (change.kind === AccessChangeKind.REMOVE_GROUP_MEMBER) {
      const member = await rows(em, knex('group_member').select('user_id').where({ group_id: change.groupId, user_id: change.userId, tenant_id: tenantId }));
      if (!member.length) throw new NotFoundError('Group member', change.userId!);
    }

    // Touched rows of the index and whether each keeps access through another path.
    let touched: string;
    const bindings: string[] = [];
    switch (change.kind) {
      case AccessChangeKind.UNASSIGN_FROM_USER:
        touched = `select ea.*, cardinality(ea.group_ids) > 0 as keeps from effective_access ea where ea.application_id = ? and ea.user_id = ?`;
        bindings.push(change.applicationId!, change.userId!);
        break;
      case AccessChangeKind.UNASSIGN_FROM_GROUP:
        touched = `select ea.*, (ea.direct or cardinality(ea.group_ids) > 1) as keeps from effective_access ea where ea.application_id = ? and ?::uuid = any(ea.group_ids)`;
        bindings.push(change.applicationId!, change.groupId!);
        break;
      case AccessChangeKind.REMOVE_GROUP_MEMBER:
        touched = `select ea.*, (ea.direct or cardinality(ea.group_ids) > 1) as keeps from effective_access ea where ea.user_id = ? and ?::uuid = any(ea.group_ids)`;
        bindings.push(change.userId!, change.groupId!);
        break;
      case AccessChangeKind.DELETE_GROUP:
        touched = `select ea.*, (ea.direct or cardinality(ea.group_ids) > 1) as keeps from effective_access ea where ?::uuid = any(ea.group_ids)`;
        bindings.push(change.groupId!);
        break;
      case AccessChangeKind.DELETE_USER:
      case AccessChangeKind.DISABLE_USER:
        touched = `select ea.*, false as keeps from effective_access ea where ea.user_id = ?`;
        bindings.push(change.userId!);
        break;
    }
    const found = await rows<PreviewRow>(
      em,
      knex.raw(
        `with touched as (${touched}),
        per_app as (
          select t.*, count(*) filter (where not t.keeps) over (partition by t.application_id) as losing_count,
            count(*) filter (where t.keeps) over (partition by t.application_id) as keeping_count,
            case when t.keeps then null else row_number() over (partition by t.application_id, t.keeps order by t.email, t.user_id) end as n
          from touched t
          join application a on a.id = t.application_id and a.deleted_at is null
        )
        select p.application_id, a.name as application_name, p.losing_count::integer, p.keeping_count::integer, p.n,
          p.user_id as id, u.email, u.name, p.tenant_id, tn.name as tenant_name, p.direct,
          ${viaGroupsJson('p.group_ids')} as groups
        from per_app p
        join application a on a.id = p.application_id
        join app_user u on u.id = p.user_id
        join tenant tn on tn.id = p.tenant_id
        where p.n is null or p.n <= ${PREVIEW_LOSERS}
        order by a.name, p.application_id, p.email, p.user_id`,
        bindings,
      ),
    );
    const byApplication = new Map<string, AccessPreview['applications'][number]>();
    for (const r of found) {
      let impact = byApplication.get(r.application_id);
      if (!impact) {
        impact = { applicationId: r.application_id, applicationName: r.application_name, losingCount: r.losing_count, keepingCount: r.keeping_count, losing: [] };
        byApplication.set(r.application_id, impact);
      }
      if (r.n !== null) {
        const user: EffectiveUser = { id: r.id, email: r.email, name: r.name, tenantId: r.tenant_id, tenantName: r.tenant_name, direct: r.direct, groups: r.groups };
        impact.losing.push(user);
      }
    }
    const applications = [...byApplication.values()];
    return { losingCount: applications.reduce((sum, a) => sum + a.losingCount, 0), applications };
  }
}

/**
 * An effective-users page with `changesCursor` when the query selects it: the feed position is read
 * BEFORE the page, so a change committed during the read is in the feed after it (replaying it is
 * harmless), never lost between the two.
 */
export async function pageWithChangesCursor<T extends object>(
  access: Pick<AccessService, 'changesCursor'>,
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments' | 'variableValues'>,
  applicationId: string,
  load: () => Promise<T>,
): Promise<T & { changesCursor?: string }> {
  // `@include(if: false)` / `@skip(if: true)` leave it out (the REST envelopes without `cursor` do).
  if (!selectsPath(info, ['changesCursor'])) return load();
  const changesCursor = await access.changesCursor(applicationId);
  return { ...(await load()), changesCursor };
}
