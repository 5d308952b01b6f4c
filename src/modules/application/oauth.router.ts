import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { SecretCheckQueueFullError } from '../../auth/secrets.js';
import { applicationStateClaims, signToken } from '../../auth/tokens.js';
import { READ_SCOPE, WRITE_SCOPE } from '../../auth/viewer.js';
import { joinLiveApplicationOwners } from '../../auth/visibility.js';
import { serviceUnavailableOf } from '../../common/errors.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/orm.js';
import { rows } from '../../db/query.js';
import { LIVE_SECRET } from './application-secret.js';
import type { TokenEndpointProtection } from './oauth.protection.js';

interface ClientRow {
  id: string;
  client_id: string;
  client_secret_hash: string;
  application_type: string;
  secret_rotated_at: Date | string | null;
  tenant_id: string | null;
  /** Working secrets, newest first (application_secret). */
  secrets: { id: string; hash: string; expires_at: string | null }[] | string;
  /** False for rows written without application_secret (bulk SQL loads): their client_secret_hash is the secret. */
  has_secrets: boolean;
}

interface Authenticated {
  application: ClientRow;
  /** The secret that matched, when it is in a grace period: the token ends with it. */
  secretExpiresAt: Date | null;
}

/** An RFC 6749 §5.2 error answer: status, `error` code, description, and optionally Retry-After. */
class TokenError extends Error {
  constructor(
    public readonly status: number,
    public readonly error: string,
    public readonly description: string,
    public readonly retryAfterSeconds?: number,
  ) {
    super(description);
  }
}

/** The parsed form or JSON body (express types it `any`); each parameter is checked by `parameter`. */
const bodyOf = (req: Request) => req.body as Record<string, unknown> | undefined;

const invalidRequest = (description: string) => new TokenError(400, 'invalid_request', description);

/** Longest accepted value per parameter (generated client ids are 28 characters, secrets 43). */
const MAX_LENGTH: Record<string, number> = { grant_type: 64, client_id: 128, client_secret: 256, scope: 1024 };
/** RFC 6749 Appendix A: client_id, client_secret (VSCHAR) and grant_type are printable ASCII; this also rules out NUL and unpaired surrogates. */
const VSCHAR = /^[\x20-\x7E]*$/;
/** When the secret-check queue is full: retry soon, the queue drains in well under a second. */
const BUSY_RETRY_AFTER_SECONDS = 1;

/** A parameter as a bounded printable-ASCII string, or undefined when absent; anything else is invalid_request naming it. */
function parameter(value: unknown, name: string, where = ''): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${name}${where} must be a single string`);
  if (value.length > MAX_LENGTH[name]) throw invalidRequest(`${name}${where} must be at most ${MAX_LENGTH[name]} characters`);
  if (!VSCHAR.test(value)) throw invalidRequest(`${name}${where} must contain printable ASCII characters only`);
  return value;
}

function decodeBasicPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    // Broken percent-encoding: credentials that match no client (→ 401 invalid_client), not a crash.
    return part;
  }
}

/** Client credentials from HTTP Basic (RFC 6749 §2.3.1) or the body, checked. */
function credentialsOf(req: Request): { clientId?: string; clientSecret?: string } {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.header('authorization') ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      const where = ' (Authorization: Basic)';
      return {
        clientId: parameter(decodeBasicPart(decoded.slice(0, colon)), 'client_id', where),
        clientSecret: parameter(decodeBasicPart(decoded.slice(colon + 1)), 'client_secret', where),
      };
    }
  }
  return { clientId: parameter(bodyOf(req)?.client_id, 'client_id'), clientSecret: parameter(bodyOf(req)?.client_secret, 'client_secret') };
}

function send(res: Response, failure: TokenError): void {
  if (failure.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(failure.retryAfterSeconds));
  if (failure.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="idgraph"');
  res.status(failure.status).setHeader('Cache-Control', 'no-store').json({ error: failure.error, error_description: failure.description });
}

/**
 * POST /oauth/token, grant_type=client_credentials (SPEC §3): exchanges an application's client id
 * and secret for a bearer token. Errors follow RFC 6749 §5.2 and are always JSON. In front of the
 * secret check: a request budget per address, a failed-attempt budget per client id (429 with
 * Retry-After), and a bounded scrypt queue (503 with Retry-After when full).
 */
export function createOAuthRouter(db: Database, config: Config, logger: Logger, protection: TokenEndpointProtection): Router {
  const router = Router();

  /**
   * The live application with this client id and one of its working secrets (the current one, or one
   * in its grace period), else 401 invalid_client; one lookup and one scrypt per working secret.
   */
  async function authenticate(clientId: string, clientSecret: string, requestId: string): Promise<Authenticated> {
    const em = db.orm.em.fork();
    const knex = em.getKnex();
    const [application] = await rows<ClientRow>(
      em,
      joinLiveApplicationOwners(knex('application as a'))
        .select('a.id', 'a.client_id', 'a.client_secret_hash', 'a.application_type', 'a.tenant_id', 'a.secret_rotated_at')
        .select(
          knex.raw(`(select coalesce(json_agg(json_build_object('id', s.id, 'hash', s.secret_hash, 'expires_at', s.expires_at) order by s.created_at desc), '[]'::json)
            from application_secret s where s.application_id = a.id and ${LIVE_SECRET}) as secrets`),
        )
        .select(knex.raw('exists (select 1 from application_secret s where s.application_id = a.id) as has_secrets'))
        .where('a.client_id', clientId),
    );
    const secrets = application
      ? ((typeof application.secrets === 'string' ? JSON.parse(application.secrets) : application.secrets) as { id: string; hash: string; expires_at: string | null }[])
      : [];
    const candidates = application && !application.has_secrets ? [{ id: '', hash: application.client_secret_hash, expires_at: null }] : secrets;
    // The same scrypt work whether or not the client exists: timing does not reveal client ids.
    let matched: (typeof candidates)[number] | undefined;
    if (!candidates.length) await protection.checker.check(clientSecret, undefined);
    for (const candidate of candidates) {
      if (await protection.checker.check(clientSecret, candidate.hash)) {
        matched = candidate;
        break;
      }
    }
    if (!matched) {
      logger.info({ requestId, clientId }, 'client authentication failed');
      throw new TokenError(401, 'invalid_client', 'unknown client or wrong secret');
    }
    if (matched.id) {
      // At most one write a minute per secret: the condition makes later requests within the minute update nothing.
      await em.execute(`update application_secret set last_used_at = now() where id = ? and (last_used_at is null or last_used_at < now() - interval '1 minute')`, [matched.id]);
    }
    return { application, secretExpiresAt: matched.expires_at ? new Date(matched.expires_at) : null };
  }

  async function issueToken(req: Request, res: Response): Promise<void> {
    const addressLimit = await protection.admitAddress(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (addressLimit) {
      protection.refused(addressLimit.reason);
      throw new TokenError(429, 'too_many_requests', 'too many token requests from this address; retry later', addressLimit.retryAfterSeconds);
    }
    const grantType = parameter(bodyOf(req)?.grant_type, 'grant_type');
    if (grantType === undefined) throw invalidRequest('grant_type is required');
    if (grantType !== 'client_credentials') throw new TokenError(400, 'unsupported_grant_type', 'only client_credentials is supported');
    parameter(bodyOf(req)?.scope, 'scope');
    const { clientId, clientSecret } = credentialsOf(req);
    if (!clientId || !clientSecret) throw invalidRequest('client_id and client_secret are required');

    const clientLimit = await protection.reserveAttempt(clientId);
    if (clientLimit) {
      protection.refused(clientLimit.reason);
      throw new TokenError(429, 'too_many_requests', 'too many failed attempts for this client; retry later', clientLimit.retryAfterSeconds);
    }
    const { application, secretExpiresAt } = await authenticate(clientId, clientSecret, req.requestId).catch(async (error: unknown) => {
      // Only a wrong secret spends the attempt; one refused before its check (queue full, database down) is given back.
      if (!(error instanceof TokenError && error.status === 401)) await protection.releaseAttempt(clientId).catch(() => undefined);
      throw error;
    });
    await protection.releaseAttempt(clientId);
    const management = application.application_type === 'management';
    const scope = management ? `${READ_SCOPE} ${WRITE_SCOPE}` : '';
    // A token obtained with a secret in its grace period ends with that grace period, never later.
    const ttl = secretExpiresAt ? Math.max(1, Math.min(config.applicationTokenTtl, Math.floor((secretExpiresAt.getTime() - Date.now()) / 1000))) : config.applicationTokenTtl;
    const accessToken = await signToken(
      config,
      { sub: application.id, client_id: application.client_id, scope, ...(management ? { tenant_id: application.tenant_id } : {}), ...applicationStateClaims(application) },
      ttl,
    );
    res.setHeader('Cache-Control', 'no-store');
    res.json({ access_token: accessToken, token_type: 'Bearer', expires_in: ttl, ...(scope ? { scope } : {}) });
  }

  /** Every failure of this route as an RFC 6749 JSON error: no HTML, no stack, no SQL, no database address. */
  function failureOf(error: unknown, req: Request): TokenError {
    if (error instanceof TokenError) return error;
    if (error instanceof SecretCheckQueueFullError) {
      protection.refused('busy');
      return new TokenError(503, 'temporarily_unavailable', 'too many token requests in progress; retry shortly', BUSY_RETRY_AFTER_SECONDS);
    }
    const unavailable = serviceUnavailableOf(error);
    if (unavailable) {
      protection.refused('database_unavailable');
      logger.warn({ requestId: req.requestId, err: error }, 'token request: database unavailable');
      return new TokenError(503, 'temporarily_unavailable', unavailable.message, unavailable.retryAfterSeconds);
    }
    const status = (error as { status?: number; statusCode?: number } | undefined)?.status ?? (error as { statusCode?: number } | undefined)?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Body-parser failures: malformed JSON, body too large, bad charset.
      logger.info({ requestId: req.requestId, type: (error as { type?: string }).type }, 'unreadable token request');
      return invalidRequest('the request body could not be read');
    }
    logger.error({ requestId: req.requestId, err: error }, 'token request failed');
    return new TokenError(500, 'server_error', 'internal error');
  }

  router.post('/oauth/token', express.urlencoded({ extended: false, limit: '16kb' }), express.json({ limit: '16kb' }), async (req: Request, res: Response) => {
    try {
      await issueToken(req, res);
    } catch (error) {
      send(res, failureOf(error, req));
    }
  });
  // Errors before the handler (body parsing): the same JSON answers.
  router.use('/oauth/token', (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    send(res, failureOf(error, req));
  });
  return router;
}
