import { UUIDResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageArgs, PageType } from '../../common/paging.js';

export enum AssignmentType {
  direct = 'direct',
  group = 'group',
}
registerEnumType(AssignmentType, { name: 'AssignmentType' });

@ObjectType({ description: 'An application as a user or group holds it (app-assignments-api.md AppAssignment).' })
export class AppAssignment {
  @Field(() => ID) applicationId!: string;
  @Field() applicationName!: string;
  @Field() applicationClientId!: string;
  @Field(() => Date) assignedAt!: Date;
  @Field(() => AssignmentType) assignmentType!: AssignmentType;
  @Field(() => ID, { nullable: true, description: 'The group, when the application is held only through groups.' })
  assignedVia!: string | null;
}

@ObjectType({ description: 'One assignment row: an application given to one user or one group.' })
export class Assignment {
  @Field(() => ID) id!: string;
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) applicationId!: string;
  @Field(() => ID, { nullable: true }) userId!: string | null;
  @Field(() => ID, { nullable: true }) groupId!: string | null;
  @Field(() => AssignmentType) assignmentType!: AssignmentType;
  @Field(() => Date) assignedAt!: Date;
}

@ObjectType()
export class GroupRef {
  @Field(() => ID) id!: string;
  @Field() name!: string;
}

@ObjectType({ description: 'A live, active user who holds an application directly or through groups (SPEC §2).' })
export class EffectiveUser {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field() name!: string;
  @Field(() => ID) tenantId!: string;
  @Field() tenantName!: string;
  @Field({ description: 'Assigned to the user directly.' }) direct!: boolean;
  @Field(() => [GroupRef], { description: 'Assigned groups through which the user holds the application.' }) groups!: GroupRef[];
}

export const EffectiveUserPage = PageType(EffectiveUser, 'EffectiveUserPage');

@ObjectType({ description: 'Direct assignees of an application.' })
export class ApplicationAssignees {
  @Field(() => ID) applicationId!: string;
  @Field(() => [ID]) users!: string[];
  @Field(() => [ID]) groups!: string[];
  @Field(() => Int) totalUsers!: number;
  @Field(() => Int) totalGroups!: number;
}

@ObjectType()
export class UserApplications {
  @Field(() => ID) userId!: string;
  @Field(() => [AppAssignment]) applications!: AppAssignment[];
  @Field(() => Int) totalCount!: number;
}

@ArgsType()
export class EffectiveUsersArgs extends PageArgs {
  @Field(() => UUIDResolver, { nullable: true, description: 'Only users of this tenant.' }) tenantId?: string | null;
}
