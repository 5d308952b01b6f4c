import { Migration } from '@mikro-orm/migrations';

/**
 * Idempotency keys (src/modules/idempotency): one row per (caller, key) with the request's hash and,
 * once answered, its encrypted response; replayed until `expires_at`.
 */
export class Migration20261128120000_idempotency_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table idempotency_key (
  caller varchar(400) not null,
  key varchar(255) not null,
  request_hash char(64) not null,
  state varchar(16) not null check (state in ('running', 'done')),
  response text null,
  created_at timestamptz not null,
  locked_until timestamptz not null,
  expires_at timestamptz not null,
  primary key (caller, key)
)`);
    this.addSql('create index idempotency_key_expires_idx on idempotency_key (expires_at)');
  }
}
