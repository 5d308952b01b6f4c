import { ArgsType, Field, InputType } from 'type-graphql';
import { PageArgs, PageType } from '../../common/paging.js';
import type { FieldInput } from '../../common/fields.js';
import { declareInputFields } from '../../common/graphql-fields.js';
import { Group } from './group.entity.js';
import { GroupFields } from './group.fields.js';

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type --
   the input classes get their fields at run time from the declaration (declareInputFields); the
   interfaces merged into them give those fields their static types. */
// The writable fields come from the declaration (group.fields.ts): a new one appears here by itself.
@InputType()
export class CreateGroupInput {}
export interface CreateGroupInput extends FieldInput<typeof GroupFields, 'create'> {}
declareInputFields(CreateGroupInput, GroupFields, 'create');

@InputType()
export class UpdateGroupInput {}
export interface UpdateGroupInput extends FieldInput<typeof GroupFields, 'update'> {}
declareInputFields(UpdateGroupInput, GroupFields, 'update');
/* eslint-enable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type */

@ArgsType()
export class GroupListArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on name or description.' }) search?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Also soft-deleted ones (super and partner admins).' })
  includeDeleted?: boolean | null;
}

export const GroupPage = PageType(Group, 'GroupPage');
