import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, pageRequest } from '../../common/paging.js';
import type { GatewayContext } from '../../graphql/context.js';
import { AppAssignment } from '../assignment/assignment.types.js';
import { Tenant } from '../tenant/tenant.entity.js';
import { User } from '../user/user.entity.js';
import { UserPage } from '../user/user.types.js';
import { Group } from './group.entity.js';
import { CreateGroupInput, GroupListArgs, GroupPage, UpdateGroupInput } from './group.types.js';
import { IdScalar } from '../../common/scalars.js';

@Resolver(() => Group)
export class GroupResolver {
  @Query(() => GroupPage)
  groups(@Arg('tenantId', () => IdScalar) tenantId: string, @Args() args: GroupListArgs, @Ctx() ctx: GatewayContext) {
    return ctx.services.groups.list(tenantId, args);
  }

  @Query(() => Group)
  group(@Arg('tenantId', () => IdScalar) tenantId: string, @Arg('id', () => IdScalar) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.groups.get(tenantId, id);
  }

  @Query(() => UserPage)
  groupMembers(@Arg('tenantId', () => IdScalar) tenantId: string, @Arg('groupId', () => IdScalar) groupId: string, @Args() args: PageArgs, @Ctx() ctx: GatewayContext) {
    return ctx.services.groups.members(tenantId, groupId, args);
  }

  @Mutation(() => Group)
  createGroup(@Arg('tenantId', () => IdScalar) tenantId: string, @Arg('input') input: CreateGroupInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.groups.create(tenantId, input);
  }

  @Mutation(() => Group)
  updateGroup(@Arg('tenantId', () => IdScalar) tenantId: string, @Arg('id', () => IdScalar) id: string, @Arg('input') input: UpdateGroupInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.groups.update(tenantId, id, input);
  }

  @Mutation(() => Boolean)
  deleteGroup(@Arg('tenantId', () => IdScalar) tenantId: string, @Arg('id', () => IdScalar) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.groups.delete(tenantId, id);
  }

  @Mutation(() => Group, { description: 'Brings back a soft-deleted group with its kept members and assignments.' })
  restoreGroup(@Arg('tenantId', () => IdScalar) tenantId: string, @Arg('id', () => IdScalar) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.groups.restore(tenantId, id);
  }

  @Mutation(() => User, { description: 'Idempotent.' })
  addGroupMember(
    @Arg('tenantId', () => IdScalar) tenantId: string,
    @Arg('groupId', () => IdScalar) groupId: string,
    @Arg('userId', () => IdScalar) userId: string,
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.groups.addMember(tenantId, groupId, userId);
  }

  @Mutation(() => Boolean, { description: 'NOT_FOUND when the user is not a member.' })
  removeGroupMember(
    @Arg('tenantId', () => IdScalar) tenantId: string,
    @Arg('groupId', () => IdScalar) groupId: string,
    @Arg('userId', () => IdScalar) userId: string,
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.groups.removeMember(tenantId, groupId, userId);
  }

  @FieldResolver(() => Tenant)
  tenant(@Root() group: Group, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.tenantById.load(group.tenantId);
  }

  @FieldResolver(() => UserPage)
  members(@Root() group: Group, @Args() args: PageArgs, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.groupMembers.page(group.id, null, pageRequest(args));
  }

  @FieldResolver(() => [AppAssignment])
  applications(@Root() group: Group, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.groupApplications.load({ parentId: group.id, options: null });
  }
}
