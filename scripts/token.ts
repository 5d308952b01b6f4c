import { parseArgs } from 'node:util';
import { signToken } from '../src/auth/tokens.js';
import { ConfigError, loadConfig } from '../src/config.js';

const USAGE = `Prints a signed HS256 admin token for the server's JWT_SECRET.

  npm run token -- --role super_admin
  npm run token -- --role partner_admin --partner <partner uuid>
  npm run token -- --role tenant_admin --tenant <tenant uuid>

Options: --scope "admin:read admin:write" (default), --ttl <seconds> (default 43200),
         --sub <subject> (default dev-<role>). JWT_SECRET must be set to the server's secret.`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  // A generated secret would sign a token no server accepts.
  if (!process.env.JWT_SECRET) fail('JWT_SECRET is not set: export the secret the server runs with (it prints it at start when it generated one)');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const role = values.role;
  const claims: Record<string, unknown> = { sub: values.sub ?? `dev-${role}`, role, scope: values.scope };
  if (role === 'tenant_admin') {
    if (!values.tenant || !UUID.test(values.tenant)) fail('--role tenant_admin needs --tenant <tenant uuid>');
    claims.tenant_id = values.tenant;
  } else if (role === 'partner_admin') {
    if (!values.partner || !UUID.test(values.partner)) fail('--role partner_admin needs --partner <partner uuid>');
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
