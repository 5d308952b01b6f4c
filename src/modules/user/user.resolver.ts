import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../../graphql/context.js';
import { AppAssignment } from '../assignment/assignment.types.js';
import { Group } from '../group/group.entity.js';
import { Tenant } from '../tenant/tenant.entity.js';
import { User } from './user.entity.js';
import { CreateUserInput, UpdateUserInput, UserListArgs, UserPage } from './user.types.js';
import { IdScalar } from '../../common/scalars.js';

@Resolver(() => User)
export class UserResolver {
  @Query(() => UserPage)
  users(@Arg('tenantId', () => IdScalar) tenantId: string, @Args() args: UserListArgs, @Ctx() ctx: GatewayContext) {
    return ctx.services.users.list(tenantId, args);
  }

  @Query(() => User)
  user(@Arg('tenantId', () => IdScalar) tenantId: string, @Arg('id', () => IdScalar) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.users.get(tenantId, id);
  }

  @Mutation(() => User)
  createUser(@Arg('tenantId', () => IdScalar) tenantId: string, @Arg('input') input: CreateUserInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.users.create(tenantId, input);
  }

  @Mutation(() => User)
  updateUser(@Arg('tenantId', () => IdScalar) tenantId: string, @Arg('id', () => IdScalar) id: string, @Arg('input') input: UpdateUserInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.users.update(tenantId, id, input);
  }

  @Mutation(() => Boolean)
  deleteUser(@Arg('tenantId', () => IdScalar) tenantId: string, @Arg('id', () => IdScalar) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.users.delete(tenantId, id);
  }

  @Mutation(() => User, { description: 'Brings back a soft-deleted user with its kept memberships and assignments.' })
  restoreUser(@Arg('tenantId', () => IdScalar) tenantId: string, @Arg('id', () => IdScalar) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.users.restore(tenantId, id);
  }

  @FieldResolver(() => Tenant)
  tenant(@Root() user: User, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.tenantById.load(user.tenantId);
  }

  @FieldResolver(() => [Group])
  groups(@Root() user: User, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.userGroups.load({ parentId: user.id, options: null });
  }

  @FieldResolver(() => [AppAssignment], { description: 'One entry per application, direct or through groups.' })
  applications(@Root() user: User, @Arg('includeGroupAssignments', () => Boolean, { defaultValue: true }) includeGroups: boolean, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.userApplications.load({ parentId: user.id, options: { includeGroups } });
  }
}
