import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';

/**
 * DATA_DIR (default ./.idgraph/, git-ignored) keeps what a developer's `npm start` needs across
 * restarts: the embedded database (pgdata/) and the dev JWT secret (jwt-secret), both created on
 * first start. `npm run reset` removes it; IDGRAPH_EPHEMERAL=1 keeps everything in memory.
 */
export const SECRET_FILE = 'jwt-secret';
const PGLITE_DIR = 'pgdata';
const LOCK_FILE = 'server.pid';

export function pgliteDirOf(dataDir: string): string {
  return join(dataDir, PGLITE_DIR);
}

export function secretFileOf(dataDir: string): string {
  return join(dataDir, SECRET_FILE);
}

/** The persisted dev secret, or undefined when the server has not created one yet. */
export function readDevSecret(dataDir: string): string | undefined {
  const file = secretFileOf(dataDir);
  if (!existsSync(file)) return undefined;
  const secret = readFileSync(file, 'utf8').trim();
  return secret.length >= 16 ? secret : undefined;
}

/** Outside production, with no JWT_SECRET given: the secret kept in DATA_DIR, created when `create` is set. */
export function useDevSecret(config: Config, { create }: { create: boolean }): boolean {
  if (!config.jwtSecretGenerated || config.production || !config.dataDir) return false;
  let secret = readDevSecret(config.dataDir);
  if (!secret && create) {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    secret = randomBytes(32).toString('base64url');
    writeFileSync(secretFileOf(config.dataDir), `${secret}\n`, { mode: 0o600 });
  }
  if (!secret) return false;
  config.jwtSecret = secret;
  config.jwtSecretSource = 'DATA_DIR';
  return true;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One process at a time on a DATA_DIR: PGlite has no lock of its own, and two writers would corrupt
 * the files. Returns the release function; throws with the other process's id when it is taken.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) {
        throw new Error(`DATA_DIR ${dataDir} is in use by another idgraph process (pid ${pid}); stop it, or set DATA_DIR to another directory`, { cause: error });
      }
      // Left behind by a process that was killed: take it over.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`cannot lock DATA_DIR ${dataDir}`);
}
