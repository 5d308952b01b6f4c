import { Entity, Property } from '@mikro-orm/core';
import { BaseRow } from '../../common/base.entity.js';

/** An application assigned to one user or one group of a tenant (exactly one of userId/groupId). */
@Entity({ tableName: 'app_assignment' })
export class AppAssignmentRow extends BaseRow {
  @Property({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: 'uuid' })
  applicationId!: string;

  @Property({ type: 'uuid', nullable: true })
  userId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  groupId: string | null = null;
}
