import { Entity, Property, type Opt } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { SoftDeletableRow } from '../../common/base.entity.js';
import { IdScalar } from '../../common/scalars.js';
import { UserFields, UserStatus } from './user.fields.js';

export { UserStatus };
registerEnumType(UserStatus, { name: 'UserStatus' });

@ObjectType({ description: 'A person in a tenant.' })
@Entity({ tableName: 'app_user' })
export class User extends SoftDeletableRow {
  @Field(() => IdScalar)
  @Property({ type: 'uuid' })
  tenantId!: string;

  @Field()
  @Property({ type: 'string', length: UserFields.email.maxLength })
  email!: string;

  @Field(() => String)
  @Property({ type: 'string', length: UserFields.name.maxLength })
  name: Opt<string> = '';

  @Field(() => UserStatus)
  @Property({ type: 'string', length: 16 })
  status: Opt<UserStatus> = UserStatus.active;
}
