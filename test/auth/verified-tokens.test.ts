import { VerifiedTokenCache } from '../../src/auth/verified-tokens.js';

/** The per-token memory of signature checks: never past the token's `exp`, never longer than its TTL, bounded. */
describe('VerifiedTokenCache', () => {
  const now = 1_800_000_000_000;
  const verified = (expSeconds: number) => ({ claims: { sub: 's', exp: expSeconds }, local: true });

  it('remembers a verified token for its TTL only', () => {
    const cache = new VerifiedTokenCache(10_000);
    cache.set('t', verified(now / 1000 + 3600), now);
    expect(cache.get('t', now + 9_999)).toBeDefined();
    expect(cache.get('t', now + 10_000)).toBeUndefined();
  });

  it('forgets a token when it expires, even within the TTL', () => {
    const cache = new VerifiedTokenCache(10_000);
    cache.set('t', verified(now / 1000 + 2), now);
    expect(cache.get('t', now + 1_999)).toBeDefined();
    expect(cache.get('t', now + 2_000)).toBeUndefined();
  });

  it('does not keep a token without exp or already expired', () => {
    const cache = new VerifiedTokenCache(10_000);
    cache.set('none', { claims: { sub: 's' }, local: true }, now);
    cache.set('old', verified(now / 1000 - 1), now);
    expect(cache.get('none', now)).toBeUndefined();
    expect(cache.get('old', now)).toBeUndefined();
  });

  it('holds at most maxEntries tokens, dropping the oldest', () => {
    const cache = new VerifiedTokenCache(10_000, 2);
    for (const token of ['a', 'b', 'c']) cache.set(token, verified(now / 1000 + 3600), now);
    expect(cache.get('a', now)).toBeUndefined();
    expect(cache.get('b', now)).toBeDefined();
    expect(cache.get('c', now)).toBeDefined();
  });
});
