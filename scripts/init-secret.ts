import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Container start (docker-compose.yml): when no JWT_SECRET is given, makes sure JWT_SECRET_FILE
 * holds a strong random secret, generated on the first start and kept in its volume afterwards, so
 * that `docker compose up` works at once without a published default secret.
 */
export function initSecretFile(env: NodeJS.ProcessEnv): 'given' | 'kept' | 'generated' | 'none' {
  if (env.JWT_SECRET) return 'given';
  const file = env.JWT_SECRET_FILE;
  if (!file) return 'none';
  if (existsSync(file)) return 'kept';
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  return 'generated';
}

if (require.main === module) {
  const outcome = initSecretFile(process.env);
  if (outcome === 'generated') console.error(`init-secret: generated a JWT secret in ${process.env.JWT_SECRET_FILE} (kept across restarts)`);
}
