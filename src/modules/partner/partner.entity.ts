import { Entity, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { SoftDeletableRow } from '../../common/base.entity.js';
import { PartnerFields } from './partner.fields.js';

@ObjectType({ description: 'A reseller or organisation that owns tenants.' })
@Entity({ tableName: 'partner' })
export class Partner extends SoftDeletableRow {
  @Field()
  @Property({ type: 'string', length: PartnerFields.name.maxLength })
  name!: string;
}
