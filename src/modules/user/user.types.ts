import { ArgsType, Field, InputType } from 'type-graphql';
import type { FieldInput } from '../../common/fields.js';
import { declareInputFields } from '../../common/graphql-fields.js';
import { PageArgs, PageType } from '../../common/paging.js';
import { User, UserStatus } from './user.entity.js';
import { UserFields } from './user.fields.js';

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type --
   the input classes get their fields at run time from the declaration (declareInputFields); the
   interfaces merged into them give those fields their static types. */
// The writable fields come from the declaration (user.fields.ts): a new one appears here by itself.
@InputType()
export class CreateUserInput {}
export interface CreateUserInput extends FieldInput<typeof UserFields, 'create'> {}
declareInputFields(CreateUserInput, UserFields, 'create');

@InputType()
export class UpdateUserInput {
  includeDeleted?: boolean | null;
}
export interface UpdateUserInput extends FieldInput<typeof UserFields, 'update'> {}
declareInputFields(UpdateUserInput, UserFields, 'update');
// After the declared fields, as the schema has always listed it.
Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Also soft-deleted ones (super and partner admins).' })(UpdateUserInput.prototype, 'includeDeleted');
@ArgsType()
export class UserListArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on email or name.' }) search?: string | null;
  @Field(() => UserStatus, { nullable: true }) status?: UserStatus | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Also soft-deleted ones (super and partner admins).' })
  includeDeleted?: boolean | null;
}

export const UserPage = PageType(User, 'UserPage');
