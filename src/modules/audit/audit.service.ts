import type { EntityManager } from '@mikro-orm/postgresql';
import { actorOf } from '../../auth/viewer.js';
import { visibleAuditEvents } from '../../auth/visibility.js';
import type { RequestContext } from '../request-context.js';
import { pageRequest, type Page } from '../../common/paging.js';
import { fetchPage } from '../../db/query.js';
import { AuditEvent } from './audit.entity.js';
import type { AuditEventListArgs } from './audit.types.js';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string;
  tenantId?: string | null;
  partnerId?: string | null;
  diff?: Record<string, unknown>;
}

/** Fields whose values never go into an audit diff. */
const SECRET_FIELDS = new Set(['clientSecret', 'clientSecretHash', 'client_secret', 'secret']);

/** Persists an audit event in the caller's transaction `em` (flushed with the change it describes). */
export function recordAudit(em: EntityManager, ctx: RequestContext, entry: AuditEntry): void {
  const diff = Object.fromEntries(Object.entries(entry.diff ?? {}).filter(([key]) => !SECRET_FIELDS.has(key)));
  em.persist(
    em.create(AuditEvent, {
      ...actorOf(ctx.viewer),
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      tenantId: entry.tenantId ?? null,
      partnerId: entry.partnerId ?? null,
      diff,
      requestId: ctx.requestId,
    }),
  );
}

/** `{field: {from, to}}` for the fields whose value changed. */
export function changes<T extends object>(before: Partial<T>, after: T, fields: (keyof T)[]): Record<string, unknown> {
  const diff: Record<string, unknown> = {};
  for (const field of fields) {
    const from = before[field];
    const to = after[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) diff[field as string] = { from: from ?? null, to: to ?? null };
  }
  return diff;
}

/** Values of a created row, for the audit diff. */
export function created<T extends object>(row: T, fields: (keyof T)[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, row[field] ?? null]));
}

/** Reads the audit log with the visibility of tenants (SPEC §3): newest first. */
export class AuditService {
  constructor(private readonly ctx: RequestContext) {}

  async list(args: AuditEventListArgs): Promise<Page<AuditEvent>> {
    const request = pageRequest(args);
    const { em, knex, viewer } = this.ctx;
    const base = visibleAuditEvents(knex, viewer);
    const filter = args.filter ?? {};
    if (filter.tenantId) base.where('e.tenant_id', filter.tenantId);
    if (filter.targetId) base.where('e.target_id', filter.targetId);
    if (filter.targetType) base.where('e.target_type', filter.targetType);
    if (filter.action) base.where('e.action', filter.action);
    if (filter.actorId) base.where('e.actor_id', filter.actorId);
    if (filter.since) base.where('e.created_at', '>=', filter.since);
    if (filter.until) base.where('e.created_at', '<', filter.until);
    return fetchPage(
      em,
      AuditEvent,
      base,
      'e',
      [
        { column: 'e.created_at', order: 'desc' },
        { column: 'e.id', order: 'desc' },
      ],
      request,
    );
  }
}
