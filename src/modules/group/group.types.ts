import { ArgsType, Field, InputType } from 'type-graphql';
import { PageArgs, PageType } from '../../common/paging.js';
import { Group } from './group.entity.js';

@InputType()
export class CreateGroupInput {
  @Field({ description: '1..200 characters, unique per tenant.' }) name!: string;
  @Field(() => String, { nullable: true, defaultValue: '' }) description?: string | null;
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
