import { Entity, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { SoftDeletableRow } from '../../common/base.entity.js';

@ObjectType({ description: 'A reseller or organisation that owns tenants.' })
@Entity({ tableName: 'partner' })
export class Partner extends SoftDeletableRow {
  @Field()
  @Property({ type: 'string', length: 200 })
  name!: string;
}
