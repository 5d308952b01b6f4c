import type { JWTPayload } from 'jose';

/** What a signature check found: the claims, and whether the token is one of the locally signed HS256 ones. */
export interface VerifiedToken {
  claims: JWTPayload;
  local: boolean;
}

/**
 * Signature checks remembered per token for a few seconds: a client sends the same bearer token on
 * every request, and an HMAC or RSA check is a large part of a small request. Only the cryptographic
 * result is kept, never until after the token's `exp`; the database checks of the token's tenant or
 * application still run on every request (src/auth/tokens.ts). Failures are not remembered.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { token: VerifiedToken; until: number }>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(token: string, now = Date.now()): VerifiedToken | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (now >= entry.until) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.token;
  }

  set(token: string, verified: VerifiedToken, now = Date.now()): void {
    const exp = typeof verified.claims.exp === 'number' ? verified.claims.exp * 1000 : now;
    const until = Math.min(now + this.ttlMs, exp);
    if (until <= now) return;
    // Oldest first out (a Map iterates in insertion order): bounded memory under many distinct tokens.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { token: verified, until });
  }
}
