import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Default GRAPHQL_MAX_COST: the most a query may cost (src/graphql/cost.ts explains the pricing). */
export const DEFAULT_MAX_COST = 25_000;

/** Configuration read once from the environment, validated at start with a message naming the bad variable. */
export interface Config {
  port: number;
  databaseUrl: string | undefined;
  jwtSecret: string;
  /** No JWT_SECRET/JWT_SECRET_FILE given: a random secret (main replaces it with DATA_DIR's persisted one). */
  jwtSecretGenerated: boolean;
  /** Where the secret came from, for messages (never the secret itself). */
  jwtSecretSource: 'JWT_SECRET' | 'JWT_SECRET_FILE' | 'DATA_DIR' | 'generated';
  jwtJwksUrl: string | undefined;
  jwtIssuer: string | undefined;
  jwtAudience: string | undefined;
  /** Lifetime of tokens issued by POST /oauth/token, in seconds. */
  applicationTokenTtl: number;
  production: boolean;
  playground: boolean;
  /** On outside production, and wherever the playground is on (it needs the schema). */
  introspection: boolean;
  /** Embedded database and dev secret kept here across restarts; undefined with IDGRAPH_EPHEMERAL=1 (in memory). */
  dataDir: string | undefined;
  /** Bearer token prefilled in the playground's header editor; set by main only on the embedded demo database. */
  playgroundToken?: string;
  logLevel: string;
  shutdownTimeoutMs: number;
  /** Adds `extensions.sqlStatements` to GraphQL responses (never in production). */
  exposeQueryStats: boolean;
  seedDemoData: boolean;
  /** PostgreSQL streaming replicas to read from (DATABASE_REPLICA_URLS, comma-separated). */
  databaseReplicaUrls: string[];
  /** Replica lag accepted for reads that carry no consistency token. */
  replicaMaxLagMs: number;
  /** How long an admin token's live partner or tenant is remembered (src/auth/admin-rows.ts); 0: checked on every request. */
  tokenCheckCacheMs: number;
  /** How often replicas are probed for replay position, lag and health. */
  replicaProbeIntervalMs: number;
  /** Key material for the responses stored under Idempotency-Key (IDEMPOTENCY_ENCRYPTION_KEY, else JWT_SECRET). */
  idempotencyEncryptionKey: string;
  /** Origins allowed to call from a browser (CORS_ORIGINS, comma-separated); none by default. */
  corsOrigins: string[];
  /**
   * Express `trust proxy`: which X-Forwarded-For hops to believe for the client address (the
   * /oauth/token per-address limit keys on it). true = all (spoofable when clients reach the gateway
   * directly), a number = that many proxies in front, or a list of proxy addresses/subnets.
   */
  trustProxy: boolean | number | string;
  /** Bounds on waiting for PostgreSQL; past them a request answers 503 with Retry-After. */
  database: { acquireTimeoutMs: number; statementTimeoutMs: number; preparedStatements: boolean };
  oauth: OAuthProtection;
  /** Most a GraphQL operation may cost (src/graphql/cost.ts); costlier ones get COST_LIMIT_EXCEEDED before any SQL. */
  graphqlMaxCost: number;
  /**
   * Uses of a GraphQL document after which it runs compiled (graphql-jit) instead of through graphql-js
   * (src/graphql/compiled-execution.ts): 1 compiles on the second use; 0 on the first (the PostgreSQL
   * test run, so that the whole suite goes through the compiled path).
   */
  graphqlCompileAfter: number;
}

/** Protection of POST /oauth/token against guessing and overload. */
export interface OAuthProtection {
  /** Where the rate-limit counters live: this process, or a PostgreSQL table that several instances share. */
  rateLimitStore: 'memory' | 'postgres';
  /** Failed client authentications per client id within the window, then 429 for that client id. */
  failedAttemptsPerClient: number;
  /** Token requests per source address within the window, then 429 for that address. */
  requestsPerAddress: number;
  windowSeconds: number;
  /** Client-secret checks (scrypt) running at once, and how many may wait; beyond that 503 at once. */
  secretCheckConcurrency: number;
  secretCheckQueue: number;
}

export class ConfigError extends Error {
  constructor(
    public readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
  }
}

/** Secrets printed in this repository's docs and compose file: anyone can sign tokens with them. */
export const KNOWN_DEFAULT_SECRETS = ['compose-dev-secret-change-me-0123456789', 'change-me-at-least-16-chars'];
/** HS256 wants a key of at least 256 bits: in production, 32 characters at the very least. */
const MIN_PRODUCTION_SECRET_LENGTH = 32;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be a boolean (1/0, true/false), got "${raw}"`);
}

function url(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

function urlList(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string[] {
  const raw = env[name];
  if (!raw) return [];
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => url({ [name]: part }, name, protocols)!);
}

function replicaUrls(env: NodeJS.ProcessEnv, databaseUrl: string | undefined): string[] {
  const urls = urlList(env, 'DATABASE_REPLICA_URLS', ['postgres:', 'postgresql:']);
  if (urls.length && !databaseUrl) throw new ConfigError('DATABASE_REPLICA_URLS', 'needs DATABASE_URL (the primary); the embedded database has no replicas');
  return urls;
}

function idempotencyKey(env: NodeJS.ProcessEnv, jwtSecret: string): string {
  const raw = env.IDEMPOTENCY_ENCRYPTION_KEY;
  if (raw === undefined || raw === '') return jwtSecret;
  if (raw.length < 32) throw new ConfigError('IDEMPOTENCY_ENCRYPTION_KEY', 'must be at least 32 characters long');
  return raw;
}

/** A comma-separated list of origins (`https://app.example.com`), each scheme + host [+ port], no path. */
function origins(env: NodeJS.ProcessEnv, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      let parsed: URL | undefined;
      try {
        parsed = new URL(item);
      } catch {
        parsed = undefined;
      }
      if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== item.replace(/\/$/, '')) {
        throw new ConfigError(name, `must be comma-separated origins such as https://app.example.com, got "${item}"`);
      }
      return parsed.origin;
    });
}

function trustProxyOf(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw.toLowerCase() === 'true') return true;
  if (raw.toLowerCase() === 'false') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (!/^[0-9A-Za-z.:/,\s]+$/.test(raw)) throw new ConfigError('TRUST_PROXY', `must be true, false, a number of hops or a list of addresses/subnets, got "${raw}"`);
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const jwtJwksUrl = url(env, 'JWT_JWKS_URL', ['http:', 'https:']);
  let jwtSecret = env.JWT_SECRET ?? '';
  let jwtSecretSource: Config['jwtSecretSource'] = 'JWT_SECRET';
  if (jwtSecret === '' && env.JWT_SECRET_FILE) {
    jwtSecretSource = 'JWT_SECRET_FILE';
    try {
      jwtSecret = readFileSync(env.JWT_SECRET_FILE, 'utf8').trim();
    } catch (error) {
      throw new ConfigError('JWT_SECRET_FILE', `cannot be read: ${(error as Error).message}`);
    }
  }
  const jwtSecretGenerated = jwtSecret === '';
  if (jwtSecretGenerated) {
    if (production && !jwtJwksUrl) throw new ConfigError('JWT_SECRET', 'must be set in production (or set JWT_SECRET_FILE or JWT_JWKS_URL)');
    jwtSecret = randomBytes(32).toString('base64url');
    jwtSecretSource = 'generated';
  } else if (jwtSecret.length < 16) {
    throw new ConfigError(jwtSecretSource, 'must be at least 16 characters long');
  } else if (production && KNOWN_DEFAULT_SECRETS.includes(jwtSecret)) {
    throw new ConfigError(jwtSecretSource, 'is a published example secret: anyone could sign tokens with it. Generate one: openssl rand -base64 48');
  } else if (production && jwtSecret.length < MIN_PRODUCTION_SECRET_LENGTH) {
    throw new ConfigError(jwtSecretSource, `must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters long in production. Generate one: openssl rand -base64 48`);
  }
  const logLevel = env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}"`);
  }
  const rateLimitStore = env.OAUTH_RATE_LIMIT_STORE || 'memory';
  if (rateLimitStore !== 'memory' && rateLimitStore !== 'postgres') {
    throw new ConfigError('OAUTH_RATE_LIMIT_STORE', `must be memory or postgres, got "${rateLimitStore}"`);
  }
  if (rateLimitStore === 'postgres' && !databaseUrl) {
    throw new ConfigError('OAUTH_RATE_LIMIT_STORE', 'postgres needs DATABASE_URL (the embedded database serves one instance: use memory)');
  }
  const playground = production ? flag(env, 'PLAYGROUND', false) : flag(env, 'PLAYGROUND', true);
  return {
    port: integer(env, 'PORT', 4000, 0, 65535),
    databaseUrl,
    jwtSecret,
    jwtSecretGenerated,
    jwtSecretSource,
    jwtJwksUrl,
    jwtIssuer: env.JWT_ISSUER || undefined,
    jwtAudience: env.JWT_AUDIENCE || undefined,
    applicationTokenTtl: integer(env, 'APP_TOKEN_TTL_SECONDS', 3600, 60, 86400),
    production,
    playground,
    introspection: !production || playground,
    dataDir: flag(env, 'IDGRAPH_EPHEMERAL', false) ? undefined : resolve(env.DATA_DIR || '.idgraph'),
    logLevel,
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10000, 0, 600000),
    exposeQueryStats: !production && flag(env, 'EXPOSE_QUERY_STATS', false),
    seedDemoData: flag(env, 'SEED_DEMO_DATA', !databaseUrl),
    databaseReplicaUrls: replicaUrls(env, databaseUrl),
    replicaMaxLagMs: integer(env, 'REPLICA_MAX_LAG_MS', 1000, 0, 3_600_000),
    tokenCheckCacheMs: integer(env, 'TOKEN_CHECK_CACHE_MS', 1000, 0, 60_000),
    replicaProbeIntervalMs: integer(env, 'REPLICA_PROBE_INTERVAL_MS', 1000, 50, 600_000),
    idempotencyEncryptionKey: idempotencyKey(env, jwtSecret),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    trustProxy: trustProxyOf(env.TRUST_PROXY),
    database: {
      acquireTimeoutMs: integer(env, 'DATABASE_ACQUIRE_TIMEOUT_MS', 5000, 100, 600000),
      statementTimeoutMs: integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 10000, 0, 3600000),
      // Off behind PgBouncer in transaction mode before 1.21 (src/db/prepared.ts).
      preparedStatements: flag(env, 'DATABASE_PREPARED_STATEMENTS', true),
    },
    oauth: {
      rateLimitStore,
      failedAttemptsPerClient: integer(env, 'OAUTH_FAILED_ATTEMPTS_PER_CLIENT', 10, 1, 1000000),
      requestsPerAddress: integer(env, 'OAUTH_REQUESTS_PER_ADDRESS', 60, 1, 1000000),
      windowSeconds: integer(env, 'OAUTH_RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86400),
      secretCheckConcurrency: integer(env, 'OAUTH_SECRET_CHECK_CONCURRENCY', 2, 1, 64),
      secretCheckQueue: integer(env, 'OAUTH_SECRET_CHECK_QUEUE', 16, 0, 10000),
    },
    graphqlMaxCost: integer(env, 'GRAPHQL_MAX_COST', DEFAULT_MAX_COST, 1, 100_000_000),
    graphqlCompileAfter: integer(env, 'GRAPHQL_COMPILE_AFTER', 1, 0, 1_000_000),
  };
}
