import { Migration } from '@mikro-orm/migrations';
import { EFFECTIVE_ACCESS_SCHEMA } from '../../modules/assignment/effective-access.sql.js';

/**
 * The effective-access index (issue 9): tables, the trigger functions that keep it in the transaction
 * of every write changing access, and a back-fill from the existing data. The statements live with the
 * rest of the index's SQL in src/modules/assignment/effective-access.sql.ts.
 */
export class Migration20261128000005_effective_access extends Migration {
  override async up(): Promise<void> {
    // One statement per addSql (the embedded database runs statements one at a time); plpgsql bodies
    // contain `;`, so the list is kept as separate statements rather than split from one text.
    for (const statement of EFFECTIVE_ACCESS_SCHEMA) this.addSql(statement);
  }

  override async down(): Promise<void> {
    for (const table of ['app_assignment', 'group_member', 'user_group', 'app_user', 'tenant', 'application']) {
      this.addSql(`drop function if exists effective_access_on_${table}() cascade`);
    }
    this.addSql('drop function if exists effective_access_refresh(uuid[], uuid[])');
    this.addSql('drop table if exists effective_access_count');
    this.addSql('drop table if exists effective_access');
  }
}
