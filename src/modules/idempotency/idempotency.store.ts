import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/** A response as it is replayed: status, the headers worth repeating, and the body bytes. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Claim = { kind: 'claimed' } | { kind: 'mismatch' } | { kind: 'running' } | { kind: 'replay'; response: StoredResponse };

/** How long a first response is replayed (IETF httpapi draft / Stripe: 24 h). */
export const REPLAY_SECONDS = 24 * 3600;
/** A claim whose request died without an answer (crash, lost connection) is free again after this. */
const ABANDONED_AFTER_SECONDS = 120;

/**
 * Idempotency keys in PostgreSQL (table `idempotency_key`), so every instance shares them. Stored
 * responses are encrypted with AES-256-GCM under a key derived from configuration
 * (IDEMPOTENCY_ENCRYPTION_KEY, else JWT_SECRET): a replayed rotate-secret or create must give back the
 * secret it first returned, and the table must not become a second copy of secrets in clear.
 */
export class IdempotencyStore {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'idgraph', 'idempotency responses', 32));
  }

  /**
   * Claims (caller, key) for this request, or says what happened to it before: the same request is
   * replayed, another request under the same key is a mismatch, one still running is `running`.
   * Expired and abandoned claims are taken over.
   */
  async claim(em: EntityManager, caller: string, key: string, requestHash: string): Promise<Claim> {
    const [claimed] = await em.execute<{ caller: string }[]>(
      `insert into idempotency_key (caller, key, request_hash, state, created_at, locked_until, expires_at)
       values (?, ?, ?, 'running', now(), now() + make_interval(secs => ?), now() + make_interval(secs => ?))
       on conflict (caller, key) do update
         set request_hash = excluded.request_hash, state = 'running', response = null, created_at = now(),
             locked_until = excluded.locked_until, expires_at = excluded.expires_at
         where idempotency_key.expires_at < now() or (idempotency_key.state = 'running' and idempotency_key.locked_until < now())
       returning caller`,
      [caller, key, requestHash, ABANDONED_AFTER_SECONDS, REPLAY_SECONDS],
    );
    if (claimed) return { kind: 'claimed' };
    const [existing] = await em.execute<{ request_hash: string; state: string; response: string | null }[]>(
      'select request_hash, state, response from idempotency_key where caller = ? and key = ?',
      [caller, key],
    );
    // Gone between the two statements (expired and removed): a retry claims it.
    if (!existing) return this.claim(em, caller, key, requestHash);
    if (existing.request_hash !== requestHash) return { kind: 'mismatch' };
    if (existing.state === 'running' || !existing.response) return { kind: 'running' };
    return { kind: 'replay', response: this.decrypt(existing.response) };
  }

  /** Records the first response, to be replayed until the key expires. */
  async complete(em: EntityManager, caller: string, key: string, response: StoredResponse): Promise<void> {
    await em.execute(`update idempotency_key set state = 'done', response = ? where caller = ? and key = ?`, [this.encrypt(response), caller, key]);
  }

  /** Frees the key when the request failed in a way a retry may fix (5xx). */
  async release(em: EntityManager, caller: string, key: string): Promise<void> {
    await em.execute(`delete from idempotency_key where caller = ? and key = ? and state = 'running'`, [caller, key]);
  }

  /** Removes expired keys (called now and then, so the table does not grow without bound). */
  async sweep(em: EntityManager): Promise<void> {
    await em.execute('delete from idempotency_key where expires_at < now()');
  }

  /** base64 of iv (12 bytes) · GCM tag (16 bytes) · ciphertext. */
  private encrypt(response: StoredResponse): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const encrypted = Buffer.concat([cipher.update(JSON.stringify(response), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64');
  }

  private decrypt(text: string): StoredResponse {
    const stored = Buffer.from(text, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, stored.subarray(0, 12));
    decipher.setAuthTag(stored.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(stored.subarray(28)), decipher.final()]).toString('utf8')) as StoredResponse;
  }
}
