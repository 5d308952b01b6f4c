import { randomBytes } from 'node:crypto';
import { DEFAULT_MAX_COST } from './graphql/cost.js';

/** Configuration read once from the environment, validated at start with a message naming the bad variable. */
export interface Config {
  port: number;
  databaseUrl: string | undefined;
  jwtSecret: string;
  jwtSecretGenerated: boolean;
  jwtJwksUrl: string | undefined;
  jwtIssuer: string | undefined;
  jwtAudience: string | undefined;
  /** Lifetime of tokens issued by POST /oauth/token, in seconds. */
  applicationTokenTtl: number;
  production: boolean;
  playground: boolean;
  /** Bearer token prefilled in the playground's header editor; set by main only on the embedded demo database. */
  playgroundToken?: string;
  logLevel: string;
  shutdownTimeoutMs: number;
  /** Adds `extensions.sqlStatements` to GraphQL responses (never in production). */
  exposeQueryStats: boolean;
  seedDemoData: boolean;
  /** Most a GraphQL operation may cost (src/graphql/cost.ts); costlier ones get COST_LIMIT_EXCEEDED before any SQL. */
  graphqlMaxCost: number;
}

export class ConfigError extends Error {
  constructor(public readonly variable: string, message: string) {
    super(`Invalid configuration: ${variable} ${message}`);
  }
}

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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const jwtJwksUrl = url(env, 'JWT_JWKS_URL', ['http:', 'https:']);
  let jwtSecret = env.JWT_SECRET ?? '';
  const jwtSecretGenerated = jwtSecret === '';
  if (jwtSecretGenerated) {
    if (production && !jwtJwksUrl) throw new ConfigError('JWT_SECRET', 'must be set in production (or set JWT_JWKS_URL)');
    jwtSecret = randomBytes(32).toString('base64url');
  } else if (jwtSecret.length < 16) {
    throw new ConfigError('JWT_SECRET', 'must be at least 16 characters long');
  }
  const logLevel = env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}"`);
  }
  return {
    port: integer(env, 'PORT', 4000, 0, 65535),
    databaseUrl,
    jwtSecret,
    jwtSecretGenerated,
    jwtJwksUrl,
    jwtIssuer: env.JWT_ISSUER || undefined,
    jwtAudience: env.JWT_AUDIENCE || undefined,
    applicationTokenTtl: integer(env, 'APP_TOKEN_TTL_SECONDS', 3600, 60, 86400),
    production,
    playground: production ? flag(env, 'PLAYGROUND', false) : flag(env, 'PLAYGROUND', true),
    logLevel,
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10000, 0, 600000),
    exposeQueryStats: !production && flag(env, 'EXPOSE_QUERY_STATS', false),
    seedDemoData: flag(env, 'SEED_DEMO_DATA', !databaseUrl),
    graphqlMaxCost: integer(env, 'GRAPHQL_MAX_COST', DEFAULT_MAX_COST, 1, 100_000_000),
  };
}
