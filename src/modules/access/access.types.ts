import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IdScalar } from '../../common/scalars.js';
import { EffectiveUser } from '../assignment/assignment.types.js';

// ---- explanation ----

export enum AccessBlock {
  USER_DISABLED = 'USER_DISABLED',
  USER_DELETED = 'USER_DELETED',
  TENANT_DELETED = 'TENANT_DELETED',
  GROUP_DELETED = 'GROUP_DELETED',
  OUT_OF_SCOPE = 'OUT_OF_SCOPE',
  APPLICATION_DELETED = 'APPLICATION_DELETED',
}
registerEnumType(AccessBlock, { name: 'AccessBlock', description: 'Why an existing path to an application does not count.' });

@ObjectType({ description: 'A reason an existing path does not count; `groupId` names the group for GROUP_DELETED.' })
export class AccessBlocker {
  @Field(() => AccessBlock) reason!: AccessBlock;
  @Field(() => IdScalar, { nullable: true }) groupId!: string | null;
}

@ObjectType()
export class DirectAccess {
  @Field(() => Date) assignedAt!: Date;
}

@ObjectType()
export class GroupAccess {
  @Field(() => IdScalar) groupId!: string;
  @Field() groupName!: string;
  @Field(() => Date, { description: 'When the application was assigned to the group.' }) assignedAt!: Date;
}

@ObjectType({ description: 'Why a user does or does not hold an application (issue 11).' })
export class AccessExplanation {
  @Field(() => IdScalar) applicationId!: string;
  @Field(() => IdScalar) userId!: string;
  @Field(() => IdScalar) tenantId!: string;
  @Field() hasAccess!: boolean;
  @Field(() => DirectAccess, { nullable: true, description: 'The direct assignment, if any.' }) direct!: DirectAccess | null;
  @Field(() => [GroupAccess], { description: 'Live groups of the user the application is assigned to.' }) viaGroups!: GroupAccess[];
  @Field(() => [AccessBlocker], { description: 'Why existing paths do not count (empty when access holds or no path exists).' })
  blockedBy!: AccessBlocker[];
}

// ---- what-if preview ----

export enum AccessChangeKind {
  UNASSIGN_FROM_USER = 'UNASSIGN_FROM_USER',
  UNASSIGN_FROM_GROUP = 'UNASSIGN_FROM_GROUP',
  REMOVE_GROUP_MEMBER = 'REMOVE_GROUP_MEMBER',
  DELETE_GROUP = 'DELETE_GROUP',
  DELETE_USER = 'DELETE_USER',
  DISABLE_USER = 'DISABLE_USER',
}
registerEnumType(AccessChangeKind, { name: 'AccessChangeKind' });

@InputType({ description: 'A write to preview: `tenantId` always; `applicationId`, `userId`, `groupId` as the kind needs.' })
export class AccessChangeInput {
  @Field(() => AccessChangeKind) kind!: AccessChangeKind;
  @Field(() => IdScalar) tenantId!: string;
  @Field(() => IdScalar, { nullable: true }) applicationId?: string | null;
  @Field(() => IdScalar, { nullable: true }) userId?: string | null;
  @Field(() => IdScalar, { nullable: true }) groupId?: string | null;
}

@ObjectType()
export class ApplicationAccessImpact {
  @Field(() => IdScalar) applicationId!: string;
  @Field() applicationName!: string;
  @Field(() => Int, { description: 'Users who would lose the application.' }) losingCount!: number;
  @Field(() => Int, { description: 'Users touched by the change who keep it through another path.' }) keepingCount!: number;
  @Field(() => [EffectiveUser], { description: 'The first 50 who would lose it, by email then id.' }) losing!: EffectiveUser[];
}

@ObjectType({ description: 'What a write would change in effective access; nothing is written.' })
export class AccessPreview {
  @Field(() => Int) losingCount!: number;
  @Field(() => [ApplicationAccessImpact]) applications!: ApplicationAccessImpact[];
}

// ---- change feed ----

export enum AccessChangeType {
  granted = 'granted',
  revoked = 'revoked',
}
registerEnumType(AccessChangeType, { name: 'AccessChangeType' });

@ObjectType({ description: 'A user gained or lost an application, with the write that caused it.' })
export class AccessChange {
  @Field(() => IdScalar) applicationId!: string;
  @Field(() => IdScalar) userId!: string;
  @Field(() => IdScalar) tenantId!: string;
  @Field(() => String, { nullable: true, description: "The user's email now (null when the user row is gone)." }) email!: string | null;
  @Field(() => AccessChangeType) change!: AccessChangeType;
  @Field(() => String, { nullable: true, description: 'Audit action of the write, e.g. `group.remove_member`.' }) causeAction!: string | null;
  @Field(() => String, { nullable: true }) causeTargetType!: string | null;
  @Field(() => IdScalar, { nullable: true }) causeTargetId!: string | null;
  @Field(() => String, { nullable: true }) actorType!: string | null;
  @Field(() => String, { nullable: true }) actorId!: string | null;
  @Field(() => Date) at!: Date;
}

@ObjectType()
export class AccessChangePage {
  @Field(() => [AccessChange]) items!: AccessChange[];
  @Field({ description: 'Pass as `after` to read on / poll; never null.' }) endCursor!: string;
  @Field() hasNextPage!: boolean;
}
