import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { SoftDeletableRow } from '../../common/base.entity.js';
import { IdScalar } from '../../common/scalars.js';
import { GroupFields } from './group.fields.js';

@ObjectType({ description: 'A named set of users of one tenant; applications assigned to it reach every member.' })
@Entity({ tableName: 'user_group' })
export class Group extends SoftDeletableRow {
  @Field(() => IdScalar)
  @Property({ type: 'uuid' })
  tenantId!: string;

  @Field()
  @Property({ type: 'string', length: GroupFields.name.maxLength })
  name!: string;

  @Field(() => String)
  @Property({ type: 'string', length: GroupFields.description.maxLength })
  description: Opt<string> = '';
}

@Entity({ tableName: 'group_member' })
export class GroupMember {
  @PrimaryKey({ type: 'uuid' })
  groupId!: string;

  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();
}
