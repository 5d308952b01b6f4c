import { Counter, type Registry } from 'prom-client';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ClientSecretChecker, type SecretCheckResult } from '../../auth/secrets.js';
import type { OAuthProtection } from '../../config.js';
import type { Database } from '../../db/orm.js';

/** Table of the shared rate-limit counters (OAUTH_RATE_LIMIT_STORE=postgres), created by rate-limiter-flexible if missing. */
export const RATE_LIMIT_TABLE = 'oauth_rate_limit';

export type RefusalReason = 'address_rate_limit' | 'client_rate_limit' | 'busy' | 'database_unavailable';

/** A limit was reached: answer 429 with Retry-After. */
export class RateLimited {
  constructor(
    public readonly reason: 'address_rate_limit' | 'client_rate_limit',
    public readonly retryAfterSeconds: number,
  ) {}
}

/**
 * What stands in front of the client-secret check of POST /oauth/token: a request budget per source
 * address, a budget of failed authentications per client id (both rate-limiter-flexible, in memory
 * or in PostgreSQL so that instances share them), and the bounded scrypt queue.
 */
export interface TokenEndpointProtection {
  /** Counts one request from `address`; a RateLimited when its budget is spent. */
  admitAddress(address: string): Promise<RateLimited | undefined>;
  /**
   * Reserves one failed attempt of `clientId` before its secret is checked (so concurrent guesses
   * cannot overshoot the limit); a RateLimited when none is left.
   */
  reserveAttempt(clientId: string): Promise<RateLimited | undefined>;
  /** Gives a reserved attempt back: the client authenticated, or its secret was never checked (busy, database down). */
  releaseAttempt(clientId: string): Promise<void>;
  checker: ClientSecretChecker;
  refused(reason: RefusalReason): void;
}

function retryAfterOf(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/**
 * RateLimiterPostgres names its prepared statements (`rlflx-upsert`, ...). Behind PgBouncer in
 * transaction mode a named statement prepared on one server connection is missing on the next one,
 * so the queries go unnamed, like every other statement of idgraph.
 */
class UnnamedStatementsRateLimiterPostgres extends RateLimiterPostgres {
  _query(query: { text: string; values?: unknown[] }): Promise<unknown> {
    const named = RateLimiterPostgres.prototype as unknown as { _query(this: unknown, query: object): Promise<unknown> };
    return named._query.call(this, { text: query.text, values: query.values });
  }
}

async function limiter(db: Database, settings: OAuthProtection, keyPrefix: string, points: number): Promise<RateLimiterAbstract> {
  const options = { keyPrefix, points, duration: settings.windowSeconds };
  if (settings.rateLimitStore === 'memory') return new RateLimiterMemory(options);
  let created!: RateLimiterPostgres;
  await new Promise<void>((resolve, reject) => {
    created = new UnnamedStatementsRateLimiterPostgres(
      {
        ...options,
        storeClient: db.orm.em.getKnex(),
        storeType: 'knex',
        tableName: RATE_LIMIT_TABLE,
        // A key over its budget is refused from memory for the rest of the window, sparing the database under attack.
        inMemoryBlockOnConsumed: points + 1,
      },
      (error?: Error) => (error ? reject(error) : resolve()),
    );
  });
  return created;
}

/** Consumes a point; a RateLimited when the budget is spent. Store failures (database down) are thrown. */
async function consume(limiter: RateLimiterAbstract, key: string, reason: RateLimited['reason']): Promise<RateLimited | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return new RateLimited(reason, retryAfterOf(rejection));
    throw rejection;
  }
}

export async function createTokenEndpointProtection(db: Database, settings: OAuthProtection, registry: Registry): Promise<TokenEndpointProtection> {
  const secretChecks = new Counter({
    name: 'idgraph_oauth_secret_checks_total',
    help: 'Client-secret checks (one scrypt each) by POST /oauth/token, by result; unknown clients are checked against a dummy hash',
    labelNames: ['result'],
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'idgraph_oauth_refusals_total',
    help: 'Token requests refused before the secret check: rate limits (429), a full secret-check queue or the database (503)',
    labelNames: ['reason'],
    registers: [registry],
  });
  const perAddress = await limiter(db, settings, 'oauth_address', settings.requestsPerAddress);
  const failuresPerClient = await limiter(db, settings, 'oauth_client_failures', settings.failedAttemptsPerClient);
  return {
    admitAddress: (address) => consume(perAddress, address, 'address_rate_limit'),
    reserveAttempt: (clientId) => consume(failuresPerClient, clientId, 'client_rate_limit'),
    async releaseAttempt(clientId) {
      await failuresPerClient.reward(clientId);
    },
    checker: new ClientSecretChecker(settings.secretCheckConcurrency, settings.secretCheckQueue, (result: SecretCheckResult) => secretChecks.inc({ result })),
    refused: (reason) => refusals.inc({ reason }),
  };
}
