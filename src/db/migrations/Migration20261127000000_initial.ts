import { Migration } from '@mikro-orm/migrations';

/**
 * The identity model of SPEC §1. Uniqueness ignores soft-deleted rows (partial unique indexes);
 * the indexes under "effective users" serve the access queries (assignments by application,
 * memberships by group, users by tenant).
 */
export class Migration20261127000000_initial extends Migration {
  override async up(): Promise<void> {
    // One statement per addSql: the embedded database runs statements one at a time.
    for (const statement of INITIAL_SCHEMA.split(/;\n/)
      .map((s) => s.trim())
      .filter(Boolean)) {
      this.addSql(statement);
    }
  }
}

const INITIAL_SCHEMA = `
create table partner (
  id uuid primary key,
  name varchar(200) not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  deleted_at timestamptz null
);
create unique index partner_name_live_uq on partner (lower(name)) where deleted_at is null;

create table tenant (
  id uuid primary key,
  partner_id uuid null references partner (id),
  name varchar(200) not null,
  slug varchar(100) not null,
  status varchar(16) not null default 'active' check (status in ('active', 'suspended')),
  settings jsonb not null default '{}',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  deleted_at timestamptz null
);
create unique index tenant_slug_live_uq on tenant (slug) where deleted_at is null;
create index tenant_partner_idx on tenant (partner_id) where deleted_at is null;

create table app_user (
  id uuid primary key,
  tenant_id uuid not null references tenant (id),
  email varchar(320) not null,
  name varchar(200) not null default '',
  status varchar(16) not null default 'active' check (status in ('active', 'disabled')),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  deleted_at timestamptz null
);
create unique index app_user_tenant_email_live_uq on app_user (tenant_id, lower(email)) where deleted_at is null;
create index app_user_tenant_email_idx on app_user (tenant_id, email, id) where deleted_at is null;

create table user_group (
  id uuid primary key,
  tenant_id uuid not null references tenant (id),
  name varchar(200) not null,
  description varchar(2000) not null default '',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  deleted_at timestamptz null
);
create unique index user_group_tenant_name_live_uq on user_group (tenant_id, name) where deleted_at is null;

create table group_member (
  group_id uuid not null references user_group (id),
  user_id uuid not null references app_user (id),
  tenant_id uuid not null references tenant (id),
  created_at timestamptz not null,
  primary key (group_id, user_id)
);
create index group_member_user_idx on group_member (user_id);

create table application (
  id uuid primary key,
  name varchar(200) not null,
  description varchar(2000) not null default '',
  application_type varchar(16) not null check (application_type in ('web', 'spa', 'native', 'service', 'management')),
  scope varchar(8) not null check (scope in ('GLOBAL', 'PARTNER', 'TENANT')),
  partner_id uuid null references partner (id),
  tenant_id uuid null references tenant (id),
  redirect_uris jsonb not null default '[]',
  client_id varchar(64) not null,
  client_secret_hash varchar(255) not null,
  secret_rotated_at timestamptz null,
  login_uri varchar(2048) null,
  subdomain varchar(63) null,
  custom_domain varchar(253) null,
  invite_member_email_expiration_minutes integer null,
  pkce varchar(64) null,
  first_client_authentication_protocol varchar(8) null,
  first_client jsonb null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  deleted_at timestamptz null,
  constraint application_scope_owner_ck check (
    (scope = 'GLOBAL' and partner_id is null and tenant_id is null)
    or (scope = 'PARTNER' and partner_id is not null and tenant_id is null)
    or (scope = 'TENANT' and tenant_id is not null and partner_id is null)
  )
);
create unique index application_client_id_uq on application (client_id);
create index application_partner_idx on application (partner_id) where deleted_at is null;
create index application_tenant_idx on application (tenant_id) where deleted_at is null;
create index application_scope_idx on application (scope) where deleted_at is null;

create table app_assignment (
  id uuid primary key,
  tenant_id uuid not null references tenant (id),
  application_id uuid not null references application (id),
  user_id uuid null references app_user (id),
  group_id uuid null references user_group (id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint app_assignment_one_assignee_ck check (num_nonnulls(user_id, group_id) = 1)
);
create unique index app_assignment_app_user_uq on app_assignment (application_id, user_id) where user_id is not null;
create unique index app_assignment_app_group_uq on app_assignment (application_id, group_id) where group_id is not null;
create index app_assignment_user_idx on app_assignment (user_id) where user_id is not null;
create index app_assignment_group_idx on app_assignment (group_id) where group_id is not null;
create index app_assignment_tenant_app_idx on app_assignment (tenant_id, application_id);

create table audit_event (
  id uuid primary key,
  actor_type varchar(32) not null,
  actor_id varchar(255) not null,
  action varchar(64) not null,
  target_type varchar(32) not null,
  target_id uuid not null,
  tenant_id uuid null,
  partner_id uuid null,
  diff jsonb not null default '{}',
  request_id varchar(128) null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index audit_event_tenant_created_idx on audit_event (tenant_id, created_at desc);
create index audit_event_partner_created_idx on audit_event (partner_id, created_at desc);
create index audit_event_created_idx on audit_event (created_at desc);
`;
