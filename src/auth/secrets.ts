import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';

/**
 * Client credentials (SPEC §1): the secret is 32 random bytes, shown once, stored only as a salted
 * scrypt hash and compared in constant time.
 */
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

function scrypt(secret: BinaryLike, salt: BinaryLike, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCallback(secret, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));
}

export function generateClientId(): string {
  return `idg_${randomBytes(12).toString('hex')}`;
}

export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** `scrypt$N$r$p$salt$hash`, salt and hash base64url. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [algorithm, n, r, p, salt, hash] = stored.split('$');
  if (algorithm !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(secret, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The secret-check queue is full: the caller should answer 503 with Retry-After at once rather than wait. */
export class SecretCheckQueueFullError extends Error {
  constructor() {
    super('too many client-secret checks in progress');
    this.name = 'SecretCheckQueueFullError';
  }
}

export type SecretCheckResult = 'valid' | 'invalid' | 'unknown_client';

/**
 * Client-secret checks for POST /oauth/token. Each scrypt holds 16 MiB and a libuv thread for tens of
 * milliseconds, so at most `concurrency` run at once and at most `maxQueued` wait; past that `check`
 * throws SecretCheckQueueFullError without waiting, and guessers cannot starve other requests.
 * An unknown client (no stored hash) costs the same scrypt, against a dummy hash, so the answer's
 * timing does not tell whether a client id exists. `onCheck` observes every scrypt run.
 */
export class ClientSecretChecker {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private dummyHash?: Promise<string>;

  constructor(
    private readonly concurrency: number,
    private readonly maxQueued: number,
    private readonly onCheck: (result: SecretCheckResult) => void = () => {},
  ) {
    // Ready before the first unknown client arrives, so that its check costs one scrypt like any other.
    void this.dummy();
  }

  /** Checks and waiting tasks right now (for tests and metrics). */
  get load(): { running: number; queued: number } {
    return { running: this.running, queued: this.waiting.length };
  }

  /** Compares `secret` with `storedHash`, or with a dummy hash when the client is unknown (always false then). */
  async check(secret: string, storedHash: string | undefined): Promise<boolean> {
    return this.run(async () => {
      const known = storedHash !== undefined && parseHash(storedHash) !== undefined;
      const valid = await verifySecret(secret, known ? storedHash : await this.dummy());
      const result: SecretCheckResult = !known ? 'unknown_client' : valid ? 'valid' : 'invalid';
      this.onCheck(result);
      return known && valid;
    });
  }

  /** Runs `task` in a slot: at once when one is free, after queueing when the queue has room, else throws. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxQueued) throw new SecretCheckQueueFullError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter (running stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashSecret(generateClientSecret());
    return this.dummyHash;
  }
}

function parseHash(stored: string): { n: number; r: number; p: number } | undefined {
  const [algorithm, n, r, p, salt, hash] = stored.split('$');
  if (algorithm !== 'scrypt' || !salt || !hash) return undefined;
  return { n: Number(n), r: Number(r), p: Number(p) };
}
