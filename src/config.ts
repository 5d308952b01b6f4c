import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

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
}

export class ConfigError extends Error {
  constructor(public readonly variable: string, message: string) {
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
  };
}
