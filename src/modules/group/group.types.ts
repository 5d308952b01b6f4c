import { ArgsType, Field, InputType } from 'type-graphql';
import { PageArgs, PageType } from '../../common/paging.js';
import { lengthRange } from '../../common/fields.js';
import { Group } from './group.entity.js';
import { GroupFields } from './group.fields.js';

@InputType()
export class CreateGroupInput {
  @Field({ description: `${lengthRange(GroupFields.name)}, unique per tenant.` }) name!: string;
  @Field(() => String, { nullable: true, defaultValue: GroupFields.description.default }) description?: string | null;
}

@InputType()
export class UpdateGroupInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
}

@ArgsType()
export class GroupListArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on name or description.' }) search?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Also soft-deleted ones (super and partner admins).' })
  includeDeleted?: boolean | null;
}

export const GroupPage = PageType(Group, 'GroupPage');
