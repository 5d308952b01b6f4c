import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { verifySecret } from '../../auth/secrets.js';
import { applicationStateClaims, signToken } from '../../auth/tokens.js';
import { READ_SCOPE, WRITE_SCOPE } from '../../auth/viewer.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/orm.js';
import { rows } from '../../db/query.js';

/** Client credentials from HTTP Basic (RFC 6749 §2.3.1) or the body. */
function credentialsOf(req: Request): { clientId?: unknown; clientSecret?: unknown } {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.header('authorization') ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      try {
        return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
      } catch {
        // Broken percent-encoding: credentials that match no client (→ 401 invalid_client), not a crash.
        return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
      }
    }
  }
  return { clientId: req.body?.client_id, clientSecret: req.body?.client_secret };
}

/**
 * POST /oauth/token, grant_type=client_credentials (SPEC §3): exchanges an application's client id
 * and secret for a bearer token. Errors follow RFC 6749 §5.2.
 */
export function createOAuthRouter(db: Database, config: Config, logger: Logger): Router {
  const router = Router();
  router.post(
    '/oauth/token',
    express.urlencoded({ extended: false, limit: '16kb' }),
    express.json({ limit: '16kb' }),
    async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      const grantType = req.body?.grant_type;
      if (typeof grantType !== 'string' || grantType === '') {
        res.status(400).json({ error: 'invalid_request', error_description: 'grant_type is required' });
        return;
      }
      if (grantType !== 'client_credentials') {
        res.status(400).json({ error: 'unsupported_grant_type', error_description: 'only client_credentials is supported' });
        return;
      }
      const { clientId, clientSecret } = credentialsOf(req);
      if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || !clientId || !clientSecret) {
        res.status(400).json({ error: 'invalid_request', error_description: 'client_id and client_secret are required' });
        return;
      }
      const em = db.orm.em.fork();
      const [application] = await rows<{ id: string; client_id: string; client_secret_hash: string; application_type: string; tenant_id: string | null; secret_rotated_at: Date | null }>(
        em,
        em
          .getKnex()('application as a')
          .leftJoin('tenant as t', 't.id', 'a.tenant_id')
          .leftJoin('partner as p', 'p.id', 'a.partner_id')
          .select('a.id', 'a.client_id', 'a.client_secret_hash', 'a.application_type', 'a.tenant_id', 'a.secret_rotated_at')
          .where('a.client_id', clientId)
          .whereNull('a.deleted_at')
          .whereNull('t.deleted_at')
          .whereNull('p.deleted_at'),
      );
      if (!application || !(await verifySecret(clientSecret, application.client_secret_hash))) {
        logger.info({ requestId: req.requestId, clientId }, 'client authentication failed');
        res.status(401).setHeader('WWW-Authenticate', 'Basic realm="idgraph"').json({ error: 'invalid_client', error_description: 'unknown client or wrong secret' });
        return;
      }
      const management = application.application_type === 'management';
      const scope = management ? `${READ_SCOPE} ${WRITE_SCOPE}` : '';
      const accessToken = await signToken(
        config,
        { sub: application.id, client_id: application.client_id, scope, ...(management ? { tenant_id: application.tenant_id } : {}), ...applicationStateClaims(application) },
        config.applicationTokenTtl,
      );
      res.json({ access_token: accessToken, token_type: 'Bearer', expires_in: config.applicationTokenTtl, ...(scope ? { scope } : {}) });
    },
  );
  // Body-parser failures (malformed JSON, body too large, bad charset) on this route: RFC 6749 §5.2 errors, not HTML.
  router.use('/oauth/token', (error: { status?: number; statusCode?: number; type?: string }, req: Request, res: Response, next: NextFunction) => {
    const status = error.status ?? error.statusCode;
    if (res.headersSent || typeof status !== 'number' || status < 400 || status >= 500) {
      next(error);
      return;
    }
    logger.info({ requestId: req.requestId, type: error.type }, 'unreadable token request');
    res.status(400).setHeader('Cache-Control', 'no-store').json({ error: 'invalid_request', error_description: 'the request body could not be read' });
  });
  return router;
}
