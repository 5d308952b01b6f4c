import { SignJWT } from 'jose';
import type { Config } from '../config.js';

/** Issuer of the application tokens this gateway signs (POST /oauth/token). */
export const LOCAL_ISSUER = 'idgraph';

/**
 * Signs an HS256 token with JWT_SECRET: application tokens and the dev token CLI. Kept apart from
 * the verifier (and its database access) so that `npm run token` loads in a fraction of a second.
 */
export async function signToken(config: Pick<Config, 'jwtSecret'>, claims: Record<string, unknown>, ttlSeconds: number): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setIssuer(LOCAL_ISSUER)
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(config.jwtSecret));
}
