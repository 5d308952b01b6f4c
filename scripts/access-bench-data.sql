-- Data for measuring the effective-access index (README "The effective-access index"): 200,000 users in
-- 100 tenants, 1,000 groups of 200, 60 GLOBAL applications, application 1 held by ~50,000 users through
-- 250 groups, a 1,000-member group "Big" and a group "Fifty" holding 50 applications.
-- Into a migrated, empty database:
--   psql "$DATABASE_URL" -f scripts/access-bench-data.sql && DATABASE_URL=... npm run access:rebuild
set session_replication_role = replica;  -- load base tables without triggers, then access:rebuild
insert into partner (id, name, created_at, updated_at) values ('10000000-0000-0000-0000-000000000001', 'Bench P', now(), now());
insert into tenant (id, partner_id, name, slug, created_at, updated_at)
  select ('20000000-0000-0000-0000-' || lpad(i::text, 12, '0'))::uuid, case when i <= 50 then '10000000-0000-0000-0000-000000000001'::uuid end, 'T' || i, 't' || i, now(), now()
  from generate_series(1, 100) i;
insert into app_user (id, tenant_id, email, name, created_at, updated_at)
  select ('30000000-0000-0000-0000-' || lpad(i::text, 12, '0'))::uuid, ('20000000-0000-0000-0000-' || lpad((1 + i % 100)::text, 12, '0'))::uuid,
         'user' || md5(i::text) || '@bench.test', 'User ' || i, now(), now()
  from generate_series(1, 200000) i;
insert into user_group (id, tenant_id, name, created_at, updated_at)
  select ('40000000-0000-0000-0000-' || lpad(i::text, 12, '0'))::uuid, ('20000000-0000-0000-0000-' || lpad((1 + i % 100)::text, 12, '0'))::uuid, 'G' || i, now(), now()
  from generate_series(1, 1000) i;
-- each user in the group (tenant-aligned) number 1 + (i/100 % 10)*100 + i%100 : 200 members per group
insert into group_member (group_id, user_id, tenant_id, created_at)
  select ('40000000-0000-0000-0000-' || lpad((((i / 100) % 10) * 100 + (i % 100) + (case when i % 100 = 0 then 100 else 0 end))::text, 12, '0'))::uuid,
         ('30000000-0000-0000-0000-' || lpad(i::text, 12, '0'))::uuid, ('20000000-0000-0000-0000-' || lpad((1 + i % 100)::text, 12, '0'))::uuid, now()
  from generate_series(1, 200000) i;
insert into application (id, name, application_type, scope, client_id, client_secret_hash, created_at, updated_at)
  select ('50000000-0000-0000-0000-' || lpad(i::text, 12, '0'))::uuid, 'App ' || i, 'web', 'GLOBAL', 'bench-' || i, 'x', now(), now()
  from generate_series(1, 60) i;
-- hot app 1: 250 groups (~50k users)
insert into app_assignment (id, tenant_id, application_id, group_id, created_at, updated_at)
  select gen_random_uuid(), g.tenant_id, '50000000-0000-0000-0000-000000000001', g.id, now(), now()
  from user_group g order by g.id limit 250;
-- apps 2..51: 5 groups each + 100 direct users
insert into app_assignment (id, tenant_id, application_id, group_id, created_at, updated_at)
  select gen_random_uuid(), g.tenant_id, ('50000000-0000-0000-0000-' || lpad(a::text, 12, '0'))::uuid, g.id, now(), now()
  from generate_series(2, 51) a cross join generate_series(0, 4) k join user_group g on g.id = ('40000000-0000-0000-0000-' || lpad((300 + a * 5 + k)::text, 12, '0'))::uuid;
insert into app_assignment (id, tenant_id, application_id, user_id, created_at, updated_at)
  select gen_random_uuid(), u.tenant_id, ('50000000-0000-0000-0000-' || lpad(a::text, 12, '0'))::uuid, u.id, now(), now()
  from generate_series(2, 51) a cross join generate_series(1, 100) k join app_user u on u.id = ('30000000-0000-0000-0000-' || lpad((a * 1000 + k)::text, 12, '0'))::uuid;
-- a 1000-member group (G1000 gets 800 extra members from its tenant... simpler: a fresh group of 1000 users of tenant 1)
insert into user_group (id, tenant_id, name, created_at, updated_at) values ('40000000-0000-0000-0000-000000009999', '20000000-0000-0000-0000-000000000001', 'Big', now(), now());
insert into group_member (group_id, user_id, tenant_id, created_at)
  select '40000000-0000-0000-0000-000000009999', u.id, u.tenant_id, now() from app_user u where u.tenant_id = '20000000-0000-0000-0000-000000000001' order by u.id limit 1000;
-- a group holding 50 applications (apps 2..51), no members yet
insert into user_group (id, tenant_id, name, created_at, updated_at) values ('40000000-0000-0000-0000-000000009998', '20000000-0000-0000-0000-000000000001', 'Fifty', now(), now());
insert into app_assignment (id, tenant_id, application_id, group_id, created_at, updated_at)
  select gen_random_uuid(), '20000000-0000-0000-0000-000000000001', ('50000000-0000-0000-0000-' || lpad(a::text, 12, '0'))::uuid, '40000000-0000-0000-0000-000000009998', now(), now()
  from generate_series(2, 51) a;
set session_replication_role = origin;
