import '../src/env-file.js';
import { parseArgs } from 'node:util';
import { signToken } from '../src/auth/sign.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { secretFileOf, useDevSecret } from '../src/data-dir.js';
import { isUuid } from '../src/common/uuid.js';

const USAGE = `Prints a signed HS256 admin token for the server's JWT_SECRET.

  npm run token -- --role super_admin
  npm run token -- --role partner_admin --partner <partner uuid>
  npm run token -- --role tenant_admin --tenant <tenant uuid>

Options: --scope "admin:read admin:write" (default), --ttl <seconds> (default 43200),
         --sub <subject> (default dev-<role>).

The secret is the server's: JWT_SECRET (environment or .env), JWT_SECRET_FILE, else the one
\`npm start\` keeps in DATA_DIR (default .idgraph/jwt-secret). In the compose setup:
  docker compose exec gateway node dist/scripts/token.js --role super_admin`;

function fail(message: string): never {
  console.error(`token: ${message}\n\n${USAGE}`);
  process.exit(1);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        role: { type: 'string' },
        tenant: { type: 'string' },
        partner: { type: 'string' },
        scope: { type: 'string', default: 'admin:read admin:write' },
        ttl: { type: 'string', default: '43200' },
        sub: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  // A secret generated here would sign a token no server accepts.
  if (config.jwtSecretGenerated && !useDevSecret(config, { create: false })) {
    const kept = config.dataDir
      ? `, and ${secretFileOf(config.dataDir)} does not exist yet (\`npm start\` creates it on first start)`
      : ' (IDGRAPH_EPHEMERAL is set: no DATA_DIR secret)';
    fail(`JWT_SECRET is not set (environment, .env or JWT_SECRET_FILE)${kept}. Use the secret the server runs with: export JWT_SECRET=..., or start the server once without one`);
  }
  const role = values.role;
  const claims: Record<string, unknown> = { sub: values.sub ?? `dev-${role}`, role, scope: values.scope };
  if (role === 'tenant_admin') {
    if (!isUuid(values.tenant)) fail('--role tenant_admin needs --tenant <tenant uuid>');
    claims.tenant_id = values.tenant;
  } else if (role === 'partner_admin') {
    if (!isUuid(values.partner)) fail('--role partner_admin needs --partner <partner uuid>');
    claims.partner_id = values.partner;
  } else if (role !== 'super_admin') {
    fail(`--role must be super_admin, partner_admin or tenant_admin${role ? `, got "${role}"` : ''}`);
  }
  if (!/^\d+$/.test(values.ttl) || Number(values.ttl) < 1) fail(`--ttl must be a number of seconds, got "${values.ttl}"`);
  console.log(await signToken(config, claims, Number(values.ttl)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
