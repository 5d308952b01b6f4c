import { ArgsType, Field, InputType } from 'type-graphql';
import { PageArgs, PageType } from '../../common/paging.js';
import { User, UserStatus } from './user.entity.js';
import { UserFields } from './user.fields.js';

@InputType()
export class CreateUserInput {
  @Field({ description: UserFields.email.description }) email!: string;
  @Field(() => String, { nullable: true, defaultValue: UserFields.name.default }) name?: string | null;
  @Field(() => UserStatus, { nullable: true, defaultValue: UserFields.status.default }) status?: UserStatus | null;
}

@InputType()
export class UpdateUserInput {
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => UserStatus, { nullable: true }) status?: UserStatus | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Also soft-deleted ones (super and partner admins).' })
  includeDeleted?: boolean | null;
}

@ArgsType()
export class UserListArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on email or name.' }) search?: string | null;
  @Field(() => UserStatus, { nullable: true }) status?: UserStatus | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Also soft-deleted ones (super and partner admins).' })
  includeDeleted?: boolean | null;
}

export const UserPage = PageType(User, 'UserPage');
