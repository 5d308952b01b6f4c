import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { pageWithChangesCursor } from '../access/access.service.js';
import type { GatewayContext } from '../../graphql/context.js';
import { Application } from '../application/application.entity.js';
import { Tenant } from '../tenant/tenant.entity.js';
import { AppAssignment, ApplicationAssignees, Assignment, EffectiveUser, EffectiveUserPage, EffectiveUsersArgs, UserApplications } from './assignment.types.js';
import { IdScalar } from '../../common/scalars.js';
import { effectiveUsersSelection } from './effective-access.loaders.js';

@Resolver()
export class AssignmentResolver {
  @Query(() => EffectiveUserPage, { description: 'Users who hold an application (SPEC §2), optionally in one tenant.' })
  effectiveUsers(@Arg('applicationId', () => IdScalar) applicationId: string, @Args() args: EffectiveUsersArgs, @Ctx() ctx: GatewayContext, @Info() info: GraphQLResolveInfo) {
    return pageWithChangesCursor(ctx.services.access, info, applicationId, () =>
      ctx.services.assignments.effectiveUsers(applicationId, args.tenantId ?? null, args, effectiveUsersSelection(info)),
    );
  }

  @Query(() => ApplicationAssignees, { description: 'Users and groups of a tenant assigned the application directly.' })
  applicationAssignees(@Arg('tenantId', () => IdScalar) tenantId: string, @Arg('applicationId', () => IdScalar) applicationId: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.assignments.assignees(tenantId, applicationId);
  }

  @Query(() => UserApplications)
  userApplications(
    @Arg('tenantId', () => IdScalar) tenantId: string,
    @Arg('userId', () => IdScalar) userId: string,
    @Arg('includeGroupAssignments', () => Boolean, { defaultValue: true }) includeGroups: boolean,
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.assignments.userApplications(tenantId, userId, includeGroups);
  }

  @Query(() => [AppAssignment])
  groupApplications(@Arg('tenantId', () => IdScalar) tenantId: string, @Arg('groupId', () => IdScalar) groupId: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.assignments.groupApplications(tenantId, groupId);
  }

  @Mutation(() => Assignment, { description: 'Idempotent: assigning twice keeps one assignment.' })
  assignApplicationToUser(
    @Arg('tenantId', () => IdScalar) tenantId: string,
    @Arg('userId', () => IdScalar) userId: string,
    @Arg('applicationId', () => IdScalar) applicationId: string,
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.assignments.assignToUser(tenantId, userId, applicationId);
  }

  @Mutation(() => [Assignment], { description: 'All or nothing: one unavailable application → NOT_FOUND, nothing assigned.' })
  assignApplicationsToUser(
    @Arg('tenantId', () => IdScalar) tenantId: string,
    @Arg('userId', () => IdScalar) userId: string,
    @Arg('applicationIds', () => [IdScalar]) applicationIds: string[],
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.assignments.assignManyToUser(tenantId, userId, applicationIds);
  }

  @Mutation(() => Boolean)
  unassignApplicationFromUser(
    @Arg('tenantId', () => IdScalar) tenantId: string,
    @Arg('userId', () => IdScalar) userId: string,
    @Arg('applicationId', () => IdScalar) applicationId: string,
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.assignments.unassignFromUser(tenantId, userId, applicationId);
  }

  @Mutation(() => Assignment, { description: 'Idempotent.' })
  assignApplicationToGroup(
    @Arg('tenantId', () => IdScalar) tenantId: string,
    @Arg('groupId', () => IdScalar) groupId: string,
    @Arg('applicationId', () => IdScalar) applicationId: string,
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.assignments.assignToGroup(tenantId, groupId, applicationId);
  }

  @Mutation(() => Boolean)
  unassignApplicationFromGroup(
    @Arg('tenantId', () => IdScalar) tenantId: string,
    @Arg('groupId', () => IdScalar) groupId: string,
    @Arg('applicationId', () => IdScalar) applicationId: string,
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.assignments.unassignFromGroup(tenantId, groupId, applicationId);
  }
}

@Resolver(() => AppAssignment)
export class AppAssignmentResolver {
  @FieldResolver(() => Application, { nullable: true })
  application(@Root() assignment: AppAssignment, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.applicationById.load(assignment.applicationId);
  }
}

@Resolver(() => Assignment)
export class AssignmentRowResolver {
  @FieldResolver(() => Application, { nullable: true })
  application(@Root() assignment: Assignment, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.applicationById.load(assignment.applicationId);
  }
}

@Resolver(() => EffectiveUser)
export class EffectiveUserResolver {
  @FieldResolver(() => Tenant, { nullable: true })
  tenant(@Root() user: EffectiveUser, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.tenantById.load(user.tenantId);
  }
}
