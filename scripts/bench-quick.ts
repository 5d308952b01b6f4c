import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/orm.js';
import { createLogger } from '../src/http/logger.js';
import { createGateway } from '../src/http/server.js';

/**
 * `npm run bench:quick`: latency of the heavy reads over HTTP on a generated data set
 * (PGlite by default, the database of DATABASE_URL when set — use an empty one).
 * Sizes: BENCH_TENANTS (default 40) × BENCH_USERS_PER_TENANT (250), 60 applications.
 */
const TENANTS = Number(process.env.BENCH_TENANTS ?? 40);
const USERS_PER_TENANT = Number(process.env.BENCH_USERS_PER_TENANT ?? 250);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

async function main() {
  const config = loadConfig({ ...process.env, NODE_ENV: 'development', JWT_SECRET: 'bench-secret-0123456789abcdef', EXPOSE_QUERY_STATS: '1', LOG_LEVEL: 'silent' });
  const db = await openDatabase(config.databaseUrl);
  const em = db.orm.em.fork();
  const knex = em.getKnex();
  const now = new Date();
  const stamp = { created_at: now, updated_at: now };

  const started = Date.now();
  const partners = [randomUUID(), randomUUID()];
  await em.execute(knex('partner').insert(partners.map((id, i) => ({ id, name: `Bench Partner ${i}-${id.slice(0, 4)}`, ...stamp }))));
  const tenants = Array.from({ length: TENANTS }, (_, i) => ({
    id: randomUUID(),
    partner_id: partners[i % 2],
    name: `Bench Tenant ${i}`,
    slug: `bench-${i}-${randomUUID().slice(0, 6)}`,
    ...stamp,
  }));
  await em.execute(knex('tenant').insert(tenants));
  const users: { id: string; tenant_id: string }[] = [];
  for (const tenant of tenants) {
    const batch = Array.from({ length: USERS_PER_TENANT }, (_, j) => ({
      id: randomUUID(),
      tenant_id: tenant.id,
      email: `user${j}@${tenant.slug}.test`,
      name: `User ${j}`,
      ...stamp,
    }));
    users.push(...batch);
    await em.execute(knex('app_user').insert(batch));
  }
  const groups = tenants.flatMap((tenant) => [0, 1, 2].map((k) => ({ id: randomUUID(), tenant_id: tenant.id, name: `Group ${k}`, ...stamp })));
  await em.execute(knex('user_group').insert(groups));
  const members = users
    .filter((_, i) => i % 3 === 0)
    .map((user, i) => ({ group_id: groups.filter((g) => g.tenant_id === user.tenant_id)[i % 3].id, user_id: user.id, tenant_id: user.tenant_id, created_at: now }));
  for (let i = 0; i < members.length; i += 1000) await em.execute(knex('group_member').insert(members.slice(i, i + 1000)));
  const apps = Array.from({ length: 60 }, (_, i) => ({
    id: randomUUID(),
    name: `Bench App ${i}`,
    application_type: 'web',
    scope: i % 3 === 0 ? 'GLOBAL' : i % 3 === 1 ? 'PARTNER' : 'TENANT',
    partner_id: i % 3 === 1 ? partners[i % 2] : null,
    tenant_id: i % 3 === 2 ? tenants[i % TENANTS].id : null,
    client_id: `idg_bench_${i}_${randomUUID().slice(0, 8)}`,
    client_secret_hash: 'scrypt$bench',
    ...stamp,
  }));
  await em.execute(knex('application').insert(apps));
  const assignments = [];
  for (const [i, user] of users.entries()) {
    if (i % 4 === 0) assignments.push({ id: randomUUID(), tenant_id: user.tenant_id, application_id: apps[0].id, user_id: user.id, ...stamp });
    if (i % 7 === 0) assignments.push({ id: randomUUID(), tenant_id: user.tenant_id, application_id: apps[(i % 20) * 3].id, user_id: user.id, ...stamp });
  }
  for (const group of groups) assignments.push({ id: randomUUID(), tenant_id: group.tenant_id, application_id: apps[0].id, group_id: group.id, ...stamp });
  const unique = [...new Map(assignments.map((a) => [`${a.application_id}:${'user_id' in a ? a.user_id : (a as { group_id: string }).group_id}`, a])).values()];
  for (let i = 0; i < unique.length; i += 1000) await em.execute(knex('app_assignment').insert(unique.slice(i, i + 1000)));
  // Planner statistics, as autovacuum would have them on a live database.
  await em.execute('analyze');
  console.log(
    `data: ${TENANTS} tenants, ${users.length} users, ${groups.length} groups, ${members.length} memberships, ${apps.length} applications, ${unique.length} assignments (${Date.now() - started} ms to load, ${db.kind})`,
  );

  const gateway = await createGateway(db, config, createLogger(config));
  const server = createServer(gateway.listener).listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const superToken = await signToken(config, { sub: 'bench', role: 'super_admin', scope: 'admin:read admin:write' }, 3600);
  const tenantToken = await signToken(config, { sub: 'bench-t', role: 'tenant_admin', tenant_id: tenants[0].id, scope: 'admin:read' }, 3600);

  const cases: [string, string, Record<string, unknown>, string][] = [
    [
      'effective users of a GLOBAL app, page 1 of 20 (super)',
      'query($a: ID!) { effectiveUsers(applicationId: $a, perPage: 20) { items { email tenantName direct groups { name } } pagination { totalItems } } }',
      { a: apps[0].id },
      superToken,
    ],
    [
      'effective users of a GLOBAL app, page 200 (super)',
      'query($a: ID!) { effectiveUsers(applicationId: $a, page: 200, perPage: 20) { items { email } pagination { totalItems } } }',
      { a: apps[0].id },
      superToken,
    ],
    [
      'effective users of a GLOBAL app (tenant admin)',
      'query($a: ID!) { effectiveUsers(applicationId: $a) { items { email } pagination { totalItems } } }',
      { a: apps[0].id },
      tenantToken,
    ],
    [
      '50 applications with effectiveUserCount + 5 effective users each',
      '{ applications(perPage: 50) { items { name effectiveUserCount effectiveUsers(perPage: 5) { items { email tenant { name } } } } } }',
      {},
      superToken,
    ],
    [
      '20 tenants with 10 users, their groups and applications',
      '{ tenants(perPage: 20) { items { name users(perPage: 10) { items { email groups { name } applications { applicationName } } } } } }',
      {},
      superToken,
    ],
  ];
  for (const [label, query, variables, token] of cases) {
    const timings: number[] = [];
    let statements = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const t0 = performance.now();
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { errors?: unknown; extensions?: { sqlStatements: number } };
      if (body.errors) throw new Error(`${label}: ${JSON.stringify(body.errors)}`);
      timings.push(performance.now() - t0);
      statements = body.extensions?.sqlStatements ?? 0;
    }
    timings.sort((a, b) => a - b);
    const pct = (p: number) => timings[Math.min(timings.length - 1, Math.floor((p / 100) * timings.length))].toFixed(1);
    console.log(`${label}: p50 ${pct(50)} ms, p95 ${pct(95)} ms, ${statements} SQL statements`);
  }
  console.log(`heap used: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MiB, rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`);
  server.close();
  await gateway.stop();
  await db.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
