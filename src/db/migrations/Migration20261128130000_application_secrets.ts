import { Migration } from '@mikro-orm/migrations';

/**
 * Client secrets of an application, one row each (salted scrypt hashes, src/auth/secrets.ts). The
 * current secret has `expires_at` null; a rotation with a grace period gives the previous ones an
 * `expires_at`, and both work at /oauth/token until then. `revoked_at` ends a secret early.
 * Back-filled from `application.client_secret_hash` (which keeps the current secret's hash).
 */
export class Migration20261128130000_application_secrets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table application_secret (
  id uuid primary key,
  application_id uuid not null references application (id),
  secret_hash varchar(255) not null,
  created_at timestamptz not null,
  expires_at timestamptz null,
  last_used_at timestamptz null,
  revoked_at timestamptz null
)`);
    this.addSql('create index application_secret_application_idx on application_secret (application_id, created_at)');
    this.addSql(`insert into application_secret (id, application_id, secret_hash, created_at)
  select gen_random_uuid(), id, client_secret_hash, coalesce(secret_rotated_at, created_at) from application`);
  }
}
