import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { UnauthenticatedError } from '../common/errors.js';
import { isUuid } from '../common/uuid.js';
import type { Config } from '../config.js';
import { rows } from '../db/query.js';
import { AdminRowCache, type AdminRow } from './admin-rows.js';
import { VerifiedTokenCache, type VerifiedToken } from './verified-tokens.js';
import { LOCAL_ISSUER } from './sign.js';
import { joinLiveApplicationOwners, liveRow } from './visibility.js';
import { READ_SCOPE, WRITE_SCOPE, type Viewer } from './viewer.js';

export { LOCAL_ISSUER, signToken } from './sign.js';

/**
 * Turns `Authorization: Bearer <JWT>` into a Viewer (SPEC §3). Admin tokens are verified with
 * HS256 and JWT_SECRET, or against JWT_JWKS_URL (RS256/ES256, issuer and audience when configured);
 * application tokens are the HS256 tokens this gateway issues. Every failure is UNAUTHENTICATED.
 */
export class TokenVerifier {
  private readonly secret: Uint8Array;
  private readonly jwks?: JWTVerifyGetKey;
  private readonly jwksOnly: boolean;
  private readonly verified = new VerifiedTokenCache();
  /** Live partners and tenants of admin tokens, kept briefly (src/auth/admin-rows.ts); `createGateway` subscribes it to the ORM's writes. */
  readonly adminRows: AdminRowCache;

  constructor(private readonly config: Config) {
    this.secret = new TextEncoder().encode(config.jwtSecret);
    this.adminRows = new AdminRowCache(config.tokenCheckCacheMs);
    if (config.jwtJwksUrl) this.jwks = createRemoteJWKSet(new URL(config.jwtJwksUrl));
    // SPEC §3: HS256 with JWT_SECRET "when that is set"; a generated secret only signs our application tokens.
    this.jwksOnly = Boolean(this.jwks) && config.jwtSecretGenerated;
  }

  /** `em`: the request's EntityManager, or how to get it (only admin and application tokens below a super admin read the database). */
  async viewerFor(authorization: string | undefined, em: EntityManager | (() => EntityManager)): Promise<Viewer> {
    if (authorization === undefined || authorization === '') return { kind: 'anonymous' };
    const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)\s*$/i.exec(authorization);
    if (!match) throw new UnauthenticatedError('Authorization must be "Bearer <JWT>"');
    const { claims, local } = await this.verify(match[1]);
    // With only a key set configured (no JWT_SECRET), admins come from the identity provider: locally signed tokens are application tokens only.
    if (this.jwksOnly && local && claims.role !== undefined) throw new UnauthenticatedError('Admin tokens must be signed by the identity provider');
    return this.viewerFromClaims(claims, typeof em === 'function' ? em : () => em);
  }

  /** The verified claims; `local` when the token is one of the HS256 tokens signed with JWT_SECRET. */
  private async verify(token: string): Promise<VerifiedToken> {
    const known = this.verified.get(token);
    if (known) return known;
    const verified = await this.verifySignature(token);
    this.verified.set(token, verified);
    return verified;
  }

  private async verifySignature(token: string): Promise<VerifiedToken> {
    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new UnauthenticatedError('Malformed token');
    }
    try {
      if (this.jwks && header.alg !== 'HS256') {
        const { payload } = await jwtVerify(token, this.jwks, {
          algorithms: ['RS256', 'ES256'],
          issuer: this.config.jwtIssuer,
          audience: this.config.jwtAudience,
          requiredClaims: ['exp'],
        });
        return { claims: payload, local: false };
      }
      const { payload } = await jwtVerify(token, this.secret, {
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
        // With only a key set configured, HS256 is accepted only for the application tokens issued here.
        issuer: this.jwksOnly ? LOCAL_ISSUER : undefined,
      });
      return { claims: payload, local: true };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') throw new UnauthenticatedError('Token expired');
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') throw new UnauthenticatedError(`Token rejected: ${(error as Error).message}`);
      // Outside production, say why: a token signed with another run's secret is the usual cause.
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' && !this.config.production) {
        throw new UnauthenticatedError("Invalid token: its signature does not match this server's JWT_SECRET (was it signed by another run, or with another secret?)");
      }
      throw new UnauthenticatedError('Invalid token');
    }
  }

  private async viewerFromClaims(claims: JWTPayload, emOf: () => EntityManager): Promise<Viewer> {
    const subject = typeof claims.sub === 'string' ? claims.sub : '';
    if (!subject) throw new UnauthenticatedError('Token has no subject');
    const scopes = new Set(typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : []);
    const role = claims.role;
    const uuidClaim = (name: string): string => {
      const value = claims[name];
      if (!isUuid(value)) throw new UnauthenticatedError(`Token for ${String(role)} needs a valid ${name}`);
      return value.toLowerCase();
    };

    if (role === 'super_admin') return { kind: 'super_admin', subject, scopes };
    if (role === 'partner_admin') {
      const partnerId = uuidClaim('partner_id');
      const partner = await this.liveAdminRow('partner', partnerId, emOf);
      if (!partner) throw new UnauthenticatedError("The token's partner does not exist");
      return { kind: 'partner_admin', subject, scopes, partnerId };
    }
    if (role === 'tenant_admin') {
      const tenantId = uuidClaim('tenant_id');
      const tenant = await this.liveAdminRow('tenant', tenantId, emOf);
      if (!tenant) throw new UnauthenticatedError("The token's tenant does not exist");
      return { kind: 'tenant_admin', subject, scopes, tenantId, partnerId: tenant.partnerId };
    }
    if (role !== undefined) throw new UnauthenticatedError('Unknown role');

    // Application token: the application must still be live with this client id, of the type and secret it was issued for.
    if (typeof claims.client_id !== 'string' || !isUuid(subject)) throw new UnauthenticatedError('Token has no role');
    const em = emOf();
    const [application] = await rows<{ id: string; application_type: string; tenant_id: string | null; partner_id: string | null; secret_rotated_at: Date | string | null }>(
      em,
      joinLiveApplicationOwners(
        em
          .getKnex()('application as a')
          .select('a.id', 'a.application_type', 'a.tenant_id', 't.partner_id', 'a.secret_rotated_at')
          .where({ 'a.id': subject, 'a.client_id': claims.client_id }),
      ),
    );
    if (!application) throw new UnauthenticatedError("The token's application does not exist");
    const current = applicationStateClaims(application);
    if (claims.application_type !== current.application_type) throw new UnauthenticatedError("The application's type changed since the token was issued");
    if (claims.secret_stamp !== current.secret_stamp) throw new UnauthenticatedError("The application's secret was rotated since the token was issued");
    if (application.application_type === 'management' && application.tenant_id) {
      return {
        kind: 'tenant_admin',
        subject,
        scopes: new Set([READ_SCOPE, WRITE_SCOPE]),
        tenantId: application.tenant_id,
        partnerId: application.partner_id,
        applicationId: application.id,
      };
    }
    return { kind: 'application', subject, scopes, applicationId: application.id, clientId: claims.client_id };
  }

  /** The live partner or tenant an admin token acts for (a partner's own id as `partnerId`), remembered briefly (src/auth/admin-rows.ts). */
  private liveAdminRow(table: 'partner' | 'tenant', id: string, emOf: () => EntityManager): Promise<AdminRow | undefined> {
    return this.adminRows.get(`${table}:${id}`, async () => {
      const em = emOf();
      const partnerColumn = table === 'partner' ? 'id as partner_id' : 'partner_id';
      const row = await firstRow<{ partner_id: string | null }>(em, em.getKnex()(table).select(partnerColumn).where('id', id), liveRow(table));
      return row && { partnerId: row.partner_id };
    });
  }
}

/**
 * The state an application token is bound to, as claims: the application type (its powers: a
 * `management` token acts as tenant admin) and the secret stamp (when the secret was last rotated,
 * in milliseconds; 0 if never). A token whose claims no longer match the application is refused, so
 * changing the type or rotating the secret retires the tokens issued before. Exact milliseconds, not
 * `iat` (whole seconds): a token issued in the same second as a rotation is still told apart.
 */
export function applicationStateClaims(application: { application_type: string; secret_rotated_at: Date | string | null }): {
  application_type: string;
  secret_stamp: number;
} {
  const rotatedAt = application.secret_rotated_at;
  return { application_type: application.application_type, secret_stamp: rotatedAt === null ? 0 : new Date(rotatedAt).getTime() };
}

/** The first row of `query` restricted by `where` (a liveness predicate of the visibility module); prepared: it runs on every request. */
async function firstRow<T = Record<string, unknown>>(em: EntityManager, query: Knex.QueryBuilder, where: (qb: Knex.QueryBuilder) => void): Promise<T | undefined> {
  where(query);
  const [row] = await rows<T>(em, query, { prepared: true });
  return row;
}
