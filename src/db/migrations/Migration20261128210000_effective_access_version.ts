import { Migration } from '@mikro-orm/migrations';
import { EFFECTIVE_ACCESS_VERSION_SCHEMA } from '../../modules/assignment/effective-access.sql.js';

/** A version per application of its effective-access rows, for deep pages (src/modules/assignment/effective-users.anchors.ts). */
export class Migration20261128210000_effective_access_version extends Migration {
  override async up(): Promise<void> {
    for (const statement of EFFECTIVE_ACCESS_VERSION_SCHEMA) this.addSql(statement);
  }

  override async down(): Promise<void> {
    this.addSql('drop function if exists effective_access_version_bump() cascade');
    this.addSql('drop table if exists effective_access_version');
    this.addSql('drop sequence if exists effective_access_version_seq');
  }
}
