import { Migration } from '@mikro-orm/migrations';
import { ACCESS_CHANGES_SCHEMA } from '../../modules/access/access-changes.sql.js';

/** The change feed of effective access (issue 11); the statements live in src/modules/access/access-changes.sql.ts. */
export class Migration20261128200000_access_changes extends Migration {
  override async up(): Promise<void> {
    for (const statement of ACCESS_CHANGES_SCHEMA) this.addSql(statement);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists access_change_audit on audit_event');
    this.addSql('drop function if exists access_change_on_audit_event()');
    this.addSql('drop function if exists access_change_on_effective_access() cascade');
    this.addSql('alter table audit_event drop column if exists tx_id');
    this.addSql('drop table if exists access_change');
  }
}
