import { ArgsType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageArgs, PageInfo, type Page } from '../../common/paging.js';
import { IdScalar } from '../../common/scalars.js';

export enum AssignmentType {
  direct = 'direct',
  group = 'group',
}
registerEnumType(AssignmentType, { name: 'AssignmentType' });

@ObjectType({ description: 'An application as a user or group holds it (app-assignments-api.md AppAssignment).' })
export class AppAssignment {
  @Field(() => IdScalar) applicationId!: string;
  @Field() applicationName!: string;
  @Field() applicationClientId!: string;
  @Field(() => Date) assignedAt!: Date;
  @Field(() => AssignmentType) assignmentType!: AssignmentType;
  @Field(() => IdScalar, { nullable: true, description: 'The group, when the application is held only through groups.' })
  assignedVia!: string | null;
}

@ObjectType({ description: 'One assignment row: an application given to one user or one group.' })
export class Assignment {
  @Field(() => IdScalar) id!: string;
  @Field(() => IdScalar) tenantId!: string;
  @Field(() => IdScalar) applicationId!: string;
  @Field(() => IdScalar, { nullable: true }) userId!: string | null;
  @Field(() => IdScalar, { nullable: true }) groupId!: string | null;
  @Field(() => AssignmentType) assignmentType!: AssignmentType;
  @Field(() => Date) assignedAt!: Date;
}

// Plain data types: fields resolve with graphql-js's default resolver (`simpleResolvers`), without type-graphql's
// per-field wrapper; they carry no middleware (their shield rule is `allow`, see src/auth/permissions.ts).
@ObjectType({ simpleResolvers: true })
export class GroupRef {
  @Field(() => IdScalar) id!: string;
  @Field() name!: string;
}

@ObjectType({ description: 'A live, active user who holds an application directly or through groups (SPEC §2).', simpleResolvers: true })
export class EffectiveUser {
  @Field(() => IdScalar) id!: string;
  @Field() email!: string;
  @Field() name!: string;
  @Field(() => IdScalar) tenantId!: string;
  @Field() tenantName!: string;
  @Field({ description: 'Assigned to the user directly.' }) direct!: boolean;
  @Field(() => [GroupRef], { description: 'Assigned groups through which the user holds the application.' }) groups!: GroupRef[];
}

export interface EffectiveUserPageResult extends Page<EffectiveUser> {
  endCursor: string | null;
  hasNextPage: boolean;
}

@ObjectType('EffectiveUserPage', { simpleResolvers: true })
export class EffectiveUserPage implements EffectiveUserPageResult {
  @Field(() => [EffectiveUser]) items!: EffectiveUser[];
  @Field(() => PageInfo) pagination!: PageInfo;
  @Field(() => String, { nullable: true, description: 'Opaque cursor of the last item; pass it as `after` to read on (null when the page is empty).' })
  endCursor!: string | null;
  @Field({ description: 'Whether more users follow this page.' }) hasNextPage!: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'Sync clients: the change-feed position as of the start of this read; keep the one of the first page and poll `accessChanges(after:)` from it.',
  })
  changesCursor?: string;
}

@ObjectType({ description: 'Direct assignees of an application.' })
export class ApplicationAssignees {
  @Field(() => IdScalar) applicationId!: string;
  @Field(() => [IdScalar]) users!: string[];
  @Field(() => [IdScalar]) groups!: string[];
  @Field(() => Int) totalUsers!: number;
  @Field(() => Int) totalGroups!: number;
}

@ObjectType()
export class UserApplications {
  @Field(() => IdScalar) userId!: string;
  @Field(() => [AppAssignment]) applications!: AppAssignment[];
  @Field(() => Int) totalCount!: number;
}

@ArgsType()
export class EffectiveUsersArgs extends PageArgs {
  @Field(() => IdScalar, { nullable: true, description: 'Only users of this tenant.' }) tenantId?: string | null;
  @Field(() => String, { nullable: true, description: 'Cursor (an `endCursor`) after which to read, for sync clients; replaces `page`.' })
  after?: string | null;
  @Field(() => Int, { nullable: true, description: 'Items per page with `after` (as `perPage`), 1..100.' }) first?: number | null;
}
