import type { FieldRule } from '../src/common/fields.js';
import { ApplicationFields } from '../src/modules/application/application.fields.js';
import { GroupFields } from '../src/modules/group/group.fields.js';
import { PartnerFields } from '../src/modules/partner/partner.fields.js';
import { TenantFields } from '../src/modules/tenant/tenant.fields.js';
import { UserFields } from '../src/modules/user/user.fields.js';
import { call } from './rest/rest-helpers.js';
import { startTestGateway, type TestGateway } from './support/harness.js';
import { createTenant } from './support/world.js';

/**
 * The field declarations (src/modules/<module>/<module>.fields.ts) against the live columns of the
 * hand-written migrations: lengths, integer columns, enum check constraints and defaults. Runs on PGlite
 * and, with DATABASE_URL, on PostgreSQL.
 */
const DECLARED: Record<string, Record<string, FieldRule>> = {
  app_user: UserFields,
  user_group: GroupFields,
  partner: PartnerFields,
  tenant: TenantFields,
  application: ApplicationFields,
};

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

interface Column {
  data_type: string;
  character_maximum_length: number | null;
  column_default: string | null;
}

describe('field declarations match the database', () => {
  let gw: TestGateway;
  const columns = new Map<string, Column>();
  /** Check constraint definitions by table. */
  const checks = new Map<string, string[]>();

  beforeAll(async () => {
    gw = await startTestGateway();
    const em = gw.db.orm.em.fork();
    const found = await em.execute<(Column & { table_name: string; column_name: string })[]>(
      `select table_name, column_name, data_type, character_maximum_length, column_default
         from information_schema.columns where table_schema = current_schema()`,
    );
    for (const row of found)
      columns.set(`${row.table_name}.${row.column_name}`, {
        ...row,
        character_maximum_length: row.character_maximum_length === null ? null : Number(row.character_maximum_length),
      });
    const constraints = await em.execute<{ table_name: string; definition: string }[]>(
      `select c.conrelid::regclass::text as table_name, pg_get_constraintdef(c.oid) as definition
         from pg_constraint c where c.contype = 'c' and c.connamespace = current_schema()::regnamespace`,
    );
    for (const row of constraints) checks.set(row.table_name, [...(checks.get(row.table_name) ?? []), row.definition]);
  });
  afterAll(() => gw.close());

  const cases = Object.entries(DECLARED).flatMap(([table, fields]) => Object.entries(fields).map(([field, rule]) => [table, snake(field), rule] as const));

  it.each(cases)('%s.%s', (table, column, rule) => {
    const live = columns.get(`${table}.${column}`);
    expect(live).toBeDefined();
    if (rule.kind === 'text') {
      expect(live!.character_maximum_length).toBe(rule.maxLength);
    } else if (rule.kind === 'int') {
      expect(live!.data_type).toBe('integer');
    } else {
      // Every value fits the column; where a check constraint names the values, they are exactly the enum's.
      expect(live!.character_maximum_length).toBeGreaterThanOrEqual(Math.max(...rule.values.map((v) => v.length)));
      const constraint = (checks.get(table) ?? []).find((definition) => new RegExp(`\\(${column}\\)::text = ANY|\\b${column} = ANY|\\b${column} IN`, 'i').test(definition));
      if (constraint) {
        const allowed = [...constraint.matchAll(/'([^']*)'/g)].map((m) => m[1]);
        expect([...allowed].sort()).toEqual([...rule.values].sort());
      } else {
        // No check constraint in the database (pkce, first_client_authentication_protocol): the enum is
        // enforced by GraphQL and the REST schemas only.
        expect(['pkce', 'first_client_authentication_protocol']).toContain(column);
      }
    }
    if (rule.default !== undefined && typeof rule.default === 'string') {
      expect(live!.column_default).toMatch(new RegExp(`^'${rule.default}'`));
    }
  });

  it('every string column length an entity declares is the live one', () => {
    const compared: string[] = [];
    for (const meta of Object.values(gw.db.orm.getMetadata().getAll())) {
      if (!meta.tableName || meta.virtual) continue;
      for (const prop of meta.props) {
        if (prop.length === undefined || !prop.fieldNames?.length) continue;
        const key = `${meta.tableName}.${prop.fieldNames[0]}`;
        expect([key, columns.get(key)?.character_maximum_length]).toEqual([key, prop.length]);
        compared.push(key);
      }
    }
    expect(compared).toEqual(expect.arrayContaining(['app_user.email', 'application.subdomain']));
  });
});

/** REST, GraphQL and the service agree on the limits of the management fields (issue 10 drifts). */
describe('management fields: one limit on every surface', () => {
  let gw: TestGateway;
  let su: string;
  let tenantId: string;
  const create = (fields: Record<string, unknown>) =>
    call(gw, 'post', '/api/v1/admin/applications/', su, { name: 'Ops', application_type: 'management', scope: 'TENANT', tenant_id: tenantId, ...fields });

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    tenantId = await createTenant(gw, su, 'Drift Co');
  });
  afterAll(() => gw.close());

  it('subdomain: 63 characters are accepted, 64 are a REST 422 string_too_long', async () => {
    await create({ subdomain: 'a'.repeat(63) }).expect(201);
    const refused = await create({ subdomain: 'a'.repeat(64) }).expect(422);
    expect(refused.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'subdomain'], type: 'string_too_long' })]);
  });

  it('invite_member_email_expiration_minutes: 525600 is accepted, 525601 is a REST 422 less_than_equal', async () => {
    await create({ invite_member_email_expiration_minutes: 525600 }).expect(201);
    const refused = await create({ invite_member_email_expiration_minutes: 525601 }).expect(422);
    expect(refused.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'invite_member_email_expiration_minutes'], type: 'less_than_equal' })]);
  });

  it('login_uri longer than its column: a GraphQL BAD_USER_INPUT, not a database error', async () => {
    const loginUri = `https://example.com/${'a'.repeat(2048)}`;
    const result = await gw.gql(
      'mutation($t: ID!, $u: String) { createManagementApplication(tenantId: $t, input: { name: "Long", loginUri: $u }) { clientSecret } }',
      { t: tenantId, u: loginUri },
      su,
    );
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ path: ['input', 'loginUri'] })] });
  });
});
