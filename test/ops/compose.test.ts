import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { initSecretFile } from '../../scripts/init-secret.js';
import { ConfigError, KNOWN_DEFAULT_SECRETS, loadConfig } from '../../src/config.js';
import { tokenCommand } from '../../src/http/playground.js';
import { startTestGateway } from '../support/harness.js';

/**
 * `docker compose up` must work the first time. No container engine runs the tests, so the compose
 * file and the Dockerfile are read and their settings fed to the gateway's own configuration.
 */
const ROOT = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'));
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
const gateway = compose.services.gateway;

/** The gateway's environment in the container: the image's ENV, then compose's (with `${VAR:-default}` taking the default). */
function containerEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of instructions.filter((l) => l.startsWith('ENV '))) {
    for (const [, name, value] of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[name] = value;
  }
  for (const [name, value] of Object.entries(gateway.environment as Record<string, string>)) {
    env[name] = String(value).replace(/\$\{(\w+):-([^}]*)\}/g, (_m, variable: string, fallback: string) => overrides[variable] ?? fallback);
  }
  return { ...env, ...overrides };
}

describe('docker compose', () => {
  it('runs Node 22 LTS images and restarts services unless stopped', () => {
    const images = instructions.filter((l) => l.startsWith('FROM ')).map((l) => l.split(/\s+/)[1]);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toMatch(/^node:22(\.\d+)*-(bookworm|bookworm-slim|slim|alpine)/);
    for (const [name, service] of Object.entries(compose.services as Record<string, { restart?: string }>)) {
      expect([name, service.restart]).toEqual([name, 'unless-stopped']);
    }
  });

  it('starts in production with a generated secret kept in a volume, the playground and introspection on', () => {
    const env = containerEnv();
    expect(env.NODE_ENV).toBe('production');
    expect(env.JWT_SECRET).toBe('');
    expect(gateway.volumes.some((volume: string) => volume.endsWith(`:${join(env.JWT_SECRET_FILE, '..')}`))).toBe(true);
    expect(gateway.command.join(' ')).toContain('node dist/scripts/init-secret.js && exec node dist/src/main.js');

    const dir = mkdtempSync(join(tmpdir(), 'idgraph-compose-'));
    try {
      const secretFile = join(dir, 'jwt-secret');
      expect(initSecretFile({ ...env, JWT_SECRET_FILE: secretFile })).toBe('generated');
      const secret = readFileSync(secretFile, 'utf8');
      expect(initSecretFile({ ...env, JWT_SECRET_FILE: secretFile })).toBe('kept');
      expect(readFileSync(secretFile, 'utf8')).toBe(secret);

      const config = loadConfig({ ...env, JWT_SECRET_FILE: secretFile });
      expect(config.production).toBe(true);
      expect(config.jwtSecret).toBe(secret.trim());
      expect(config.jwtSecretSource).toBe('JWT_SECRET_FILE');
      expect(config.playground).toBe(true);
      // GraphiQL fetches the schema by introspection: off, it shows "Error fetching schema".
      expect(config.introspection).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a published example or a short JWT_SECRET in production, naming the variable', () => {
    for (const secret of [...KNOWN_DEFAULT_SECRETS, 'only-twenty-chars-ok']) {
      expect(() => loadConfig(containerEnv({ JWT_SECRET: secret }))).toThrow(ConfigError);
      expect(() => loadConfig(containerEnv({ JWT_SECRET: secret }))).toThrow(/Invalid configuration: JWT_SECRET .*(published example|at least 32)/);
    }
    expect(loadConfig(containerEnv({ JWT_SECRET: 'x'.repeat(32) })).jwtSecretSource).toBe('JWT_SECRET');
    // Outside production the short dev secrets of the docs still work.
    expect(loadConfig({ JWT_SECRET: 'change-me-at-least-16-chars' }).jwtSecret).toBe('change-me-at-least-16-chars');
  });

  it('tells the token command that works in the container, here and in the playground', () => {
    const command = 'docker compose exec gateway node dist/scripts/token.js --role super_admin';
    expect(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')).toContain(command.replace(' --role super_admin', ''));
    expect(tokenCommand({ production: true })).toBe(command);
    expect(instructions).toContain('COPY scripts ./scripts');
  });

  it('serves a playground with no placeholder header and a schema it can introspect', async () => {
    const tg = await startTestGateway({ ...containerEnv({ JWT_SECRET: 'y'.repeat(40) }), DATABASE_URL: '', LOG_LEVEL: 'silent' });
    try {
      const page = await tg.http.get('/playground').set('accept', 'text/html').expect(200);
      expect(page.text).not.toMatch(/Bearer </);
      expect(page.text).toContain('docker compose exec gateway node dist/scripts/token.js');
      const introspection = await tg.gql('{ __schema { queryType { name } } }');
      expect(introspection.errors).toBeUndefined();
      expect(introspection.data.__schema.queryType.name).toBe('Query');
    } finally {
      await tg.close();
    }
  });
});
