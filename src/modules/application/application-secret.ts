import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { Field, ObjectType } from 'type-graphql';
import { rows } from '../../db/query.js';
import { IdScalar } from '../../common/scalars.js';

/** Longest grace period of a rotation: a week (Okta allows two active secrets; the old one must end). */
export const MAX_GRACE_PERIOD_SECONDS = 604800;

@ObjectType({ description: 'A client secret of an application (never the secret or its hash). The current one has no expiresAt.' })
export class ApplicationSecret {
  @Field(() => IdScalar) id!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'End of its grace period; null for the current secret.' }) expiresAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Last successful /oauth/token use, to the minute.' }) lastUsedAt!: Date | null;
}

export interface SecretRow {
  id: string;
  application_id: string;
  secret_hash: string;
  created_at: Date | string;
  expires_at: Date | string | null;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
}

const date = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

export function toApplicationSecret(row: SecretRow): ApplicationSecret {
  return { id: row.id, createdAt: date(row.created_at)!, expiresAt: date(row.expires_at), lastUsedAt: date(row.last_used_at) };
}

/** SQL condition of a secret that still works: not revoked, not past its grace period. */
export const LIVE_SECRET = 's.revoked_at is null and (s.expires_at is null or s.expires_at > now())';

/** Stores a new current secret of `applicationId`. */
export async function insertSecret(em: EntityManager, applicationId: string, secretHash: string, createdAt: Date): Promise<string> {
  const id = randomUUID();
  await rows(em, em.getKnex()('application_secret').insert({ id, application_id: applicationId, secret_hash: secretHash, created_at: createdAt }));
  return id;
}

/**
 * Ends the application's working secrets `graceSeconds` from now (0: at once). A secret already in a
 * shorter grace period keeps its own end. Returns when they now end, or null when none was working.
 */
export async function retireSecrets(em: EntityManager, applicationId: string, graceSeconds: number): Promise<Date | null> {
  const ended = await rows<{ expires_at: Date | string }>(
    em,
    em.getKnex().raw(
      `update application_secret s
          set expires_at = least(coalesce(s.expires_at, 'infinity'::timestamptz), now() + make_interval(secs => ?))
        where s.application_id = ? and ${LIVE_SECRET}
        returning s.expires_at`,
      [graceSeconds, applicationId],
    ),
  );
  if (!ended.length) return null;
  return new Date(Math.max(...ended.map((row) => new Date(row.expires_at).getTime())));
}

/** Working secrets (current and in grace) of each application, newest first; the callers loaded the applications through visibility. */
export async function workingSecretsOf(em: EntityManager, applicationIds: string[]): Promise<Map<string, ApplicationSecret[]>> {
  const found = await rows<SecretRow>(
    em,
    em
      .getKnex()('application_secret as s')
      .select('s.*')
      .whereIn('s.application_id', applicationIds)
      .whereRaw(LIVE_SECRET)
      .orderBy([{ column: 's.created_at', order: 'desc' }, { column: 's.id' }]),
  );
  const grouped = new Map<string, ApplicationSecret[]>();
  for (const row of found) {
    if (!grouped.has(row.application_id)) grouped.set(row.application_id, []);
    grouped.get(row.application_id)!.push(toApplicationSecret(row));
  }
  return grouped;
}
