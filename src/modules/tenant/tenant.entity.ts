import { Entity, Property, type Opt } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { SoftDeletableRow } from '../../common/base.entity.js';
import type { StoredTenantSettings } from './tenant.settings.js';
import { IdScalar } from '../../common/scalars.js';
import { TenantFields, TenantStatus } from './tenant.fields.js';

export { TenantStatus };
registerEnumType(TenantStatus, { name: 'TenantStatus' });

@ObjectType({ description: 'A customer organisation: owns users and groups.' })
@Entity({ tableName: 'tenant' })
export class Tenant extends SoftDeletableRow {
  @Field(() => IdScalar, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  partnerId: string | null = null;

  @Field()
  @Property({ type: 'string', length: TenantFields.name.maxLength })
  name!: string;

  @Field()
  @Property({ type: 'string', length: TenantFields.slug.maxLength })
  slug!: string;

  @Field(() => TenantStatus)
  @Property({ type: 'string', length: 16 })
  status: Opt<TenantStatus> = TenantStatus.active;

  /** Stored with SPEC's snake_case keys, only the keys that were set; defaults are applied on read. */
  @Property({ type: 'json' })
  settings: Opt<StoredTenantSettings> = {};
}
