import type { MikroORM } from '@mikro-orm/postgresql';
import { createRequestContext } from '../graphql/context.js';
import { ApplicationScope, ApplicationType } from '../modules/application/application.entity.js';
import { UserStatus } from '../modules/user/user.entity.js';
import { withFixedIds } from '../common/fixed-ids.js';

export interface DemoData {
  partners: Record<'acme' | 'globex', string>;
  tenants: Record<'acmeRetail' | 'acmeBank' | 'globexHealth', string>;
  applications: Record<'portal' | 'acmeAnalytics' | 'retailPos' | 'globexCare', string>;
}

/** The demo ids (fixed: see fixed-ids.ts), as listed in docs/operations.md. */
export const DEMO_IDS: DemoData = {
  partners: { acme: 'a0000000-0000-4000-8000-000000000001', globex: 'a0000000-0000-4000-8000-000000000002' },
  tenants: {
    acmeRetail: 'b0000000-0000-4000-8000-000000000001',
    acmeBank: 'b0000000-0000-4000-8000-000000000002',
    globexHealth: 'b0000000-0000-4000-8000-000000000003',
  },
  applications: {
    portal: 'c0000000-0000-4000-8000-000000000001',
    acmeAnalytics: 'c0000000-0000-4000-8000-000000000002',
    retailPos: 'c0000000-0000-4000-8000-000000000003',
    globexCare: 'c0000000-0000-4000-8000-000000000004',
  },
};

/**
 * A small world to explore: 2 partners, 3 tenants, users, groups, applications of each scope and
 * assignments (direct and through groups). Written through the services, as a super admin would.
 */
export function loadDemoData(orm: MikroORM): Promise<DemoData> {
  return withFixedIds(() => writeDemoData(orm));
}

async function writeDemoData(orm: MikroORM): Promise<DemoData> {
  const ctx = createRequestContext(orm, { kind: 'super_admin', subject: 'demo-seed', scopes: new Set(['admin:read', 'admin:write']) }, 'seed', { statements: 0 });
  const s = ctx.services;
  const acme = await s.partners.create({ name: 'Acme Partners' });
  const globex = await s.partners.create({ name: 'Globex Resellers' });
  const acmeRetail = await s.tenants.create({ name: 'Acme Retail', partnerId: acme.id, settings: { mfaRequired: true, mfaMethods: ['totp', 'webauthn'] as never } });
  const acmeBank = await s.tenants.create({ name: 'Acme Bank', partnerId: acme.id, settings: { sessionTimeout: 15, passwordPolicy: { minLength: 12, requireDigit: true } } });
  const globexHealth = await s.tenants.create({ name: 'Globex Health', partnerId: globex.id });

  const portal = await s.applications.create({
    name: 'Employee Portal',
    description: 'Single sign-on portal for every tenant',
    applicationType: ApplicationType.web,
    scope: ApplicationScope.GLOBAL,
    redirectUris: ['https://portal.example.com/callback'],
  });
  const acmeAnalytics = await s.applications.create({
    name: 'Acme Analytics',
    applicationType: ApplicationType.spa,
    scope: ApplicationScope.PARTNER,
    partnerId: acme.id,
    redirectUris: ['https://analytics.acme.example/callback'],
  });
  const retailPos = await s.applications.create({
    name: 'Retail POS',
    applicationType: ApplicationType.native,
    scope: ApplicationScope.TENANT,
    tenantId: acmeRetail.id,
    redirectUris: ['com.acme.pos://callback'],
  });
  const globexCare = await s.applications.create({ name: 'Globex Care', applicationType: ApplicationType.service, scope: ApplicationScope.TENANT, tenantId: globexHealth.id });
  await s.applications.createManagement(acmeRetail.id, { name: 'Retail Automation', description: 'Back-office provisioning', subdomain: 'retail' });

  const people: [string, string, string, UserStatus?][] = [
    [acmeRetail.id, 'alice@acme-retail.example', 'Alice Anders'],
    [acmeRetail.id, 'bob@acme-retail.example', 'Bob Brown'],
    [acmeRetail.id, 'carol@acme-retail.example', 'Carol Chen'],
    [acmeRetail.id, 'dave@acme-retail.example', 'Dave Disabled', UserStatus.disabled],
    [acmeBank.id, 'erin@acme-bank.example', 'Erin Evans'],
    [acmeBank.id, 'frank@acme-bank.example', 'Frank Fischer'],
    [globexHealth.id, 'grace@globex-health.example', 'Grace Green'],
    [globexHealth.id, 'heidi@globex-health.example', 'Heidi Hall'],
  ];
  const users: Record<string, string> = {};
  for (const [tenantId, email, name, status] of people) {
    users[email.split('@')[0]] = (await s.users.create(tenantId, { email, name, status })).id;
  }
  const cashiers = await s.groups.create(acmeRetail.id, { name: 'Cashiers', description: 'Store staff' });
  const tellers = await s.groups.create(acmeBank.id, { name: 'Tellers' });
  await s.groups.addMember(acmeRetail.id, cashiers.id, users.bob);
  await s.groups.addMember(acmeRetail.id, cashiers.id, users.carol);
  await s.groups.addMember(acmeRetail.id, cashiers.id, users.dave);
  await s.groups.addMember(acmeBank.id, tellers.id, users.frank);

  await s.assignments.assignManyToUser(acmeRetail.id, users.alice, [portal.application.id, acmeAnalytics.application.id]);
  await s.assignments.assignToUser(acmeRetail.id, users.bob, portal.application.id);
  await s.assignments.assignToGroup(acmeRetail.id, cashiers.id, portal.application.id);
  await s.assignments.assignToGroup(acmeRetail.id, cashiers.id, retailPos.application.id);
  await s.assignments.assignToUser(acmeBank.id, users.erin, portal.application.id);
  await s.assignments.assignToGroup(acmeBank.id, tellers.id, acmeAnalytics.application.id);
  await s.assignments.assignToUser(globexHealth.id, users.grace, portal.application.id);
  await s.assignments.assignToUser(globexHealth.id, users.heidi, globexCare.application.id);

  return {
    partners: { acme: acme.id, globex: globex.id },
    tenants: { acmeRetail: acmeRetail.id, acmeBank: acmeBank.id, globexHealth: globexHealth.id },
    applications: {
      portal: portal.application.id,
      acmeAnalytics: acmeAnalytics.application.id,
      retailPos: retailPos.application.id,
      globexCare: globexCare.application.id,
    },
  };
}

/** True when the database holds no partner and no tenant yet, not even deleted ones (demo data goes only into an empty database). */
export async function isEmpty(orm: MikroORM): Promise<boolean> {
  const [row] = await orm.em.fork().execute('select (select count(*) from tenant) + (select count(*) from partner) as total');
  return Number(row.total) === 0;
}
