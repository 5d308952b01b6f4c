import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { pageWithChangesCursor } from '../access/access.service.js';
import type { GatewayContext } from '../../graphql/context.js';
import { ApplicationAssignees, EffectiveUserPage, EffectiveUsersArgs } from '../assignment/assignment.types.js';
import { effectiveUsersRequest, effectiveUsersSelection } from '../assignment/effective-access.loaders.js';
import { Partner } from '../partner/partner.entity.js';
import { Tenant } from '../tenant/tenant.entity.js';
import { Application } from './application.entity.js';
import type { ApplicationView } from './application.service.js';
import {
  ApplicationListArgs,
  ApplicationPage,
  ApplicationWithSecret,
  CreateApplicationInput,
  ManagementApplicationInput,
  RotatedSecret,
  UpdateApplicationInput,
} from './application.types.js';
import { IdScalar } from '../../common/scalars.js';
import { ApplicationSecret } from './application-secret.js';

// Field resolvers take the parent as an ApplicationView (a type, not a class): type-graphql then hands
// them the list's plain objects as they are instead of copying each into a new Application per field.
@Resolver(() => Application)
export class ApplicationResolver {
  @Query(() => ApplicationPage, { description: 'Applications the caller may see (SPEC §3).' })
  applications(@Args() args: ApplicationListArgs, @Ctx() ctx: GatewayContext) {
    return ctx.services.applications.list(args);
  }

  @Query(() => Application)
  application(@Arg('id', () => IdScalar) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.applications.get(id);
  }

  @Mutation(() => ApplicationWithSecret)
  createApplication(@Arg('input') input: CreateApplicationInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.applications.create(input);
  }

  @Mutation(() => Application)
  updateApplication(@Arg('id', () => IdScalar) id: string, @Arg('input') input: UpdateApplicationInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.applications.update(id, input);
  }

  @Mutation(() => Boolean, { description: 'Soft delete; assignments are kept for a restore.' })
  deleteApplication(@Arg('id', () => IdScalar) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.applications.delete(id);
  }

  @Mutation(() => RotatedSecret)
  rotateApplicationSecret(
    @Arg('id', () => IdScalar) id: string,
    @Arg('gracePeriodSeconds', () => Int, { nullable: true, defaultValue: 0, description: '0..604800: the previous secret keeps working this long.' })
    gracePeriodSeconds: number | null,
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.applications.rotateSecret(id, gracePeriodSeconds ?? 0);
  }

  @Mutation(() => Application, { description: "Ends a previous secret's grace period now; the current secret cannot be revoked (CONFLICT)." })
  revokeSecret(
    @Arg('id', () => IdScalar) id: string,
    @Arg('applicationId', () => IdScalar, { nullable: true, description: "When given, the secret must be this application's." }) applicationId: string | null,
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.applications.revokeSecret(id, applicationId);
  }

  @Mutation(() => Application, { description: 'Brings back a soft-deleted application with its kept assignments.' })
  restoreApplication(@Arg('id', () => IdScalar) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.applications.restore(id);
  }

  @FieldResolver(() => [ApplicationSecret], { description: 'Working client secrets: the current one and those in a grace period.' })
  secrets(@Root() application: ApplicationView, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.applicationSecrets.load(application.id);
  }

  @Query(() => [Application], { description: 'Management applications of a tenant.' })
  managementApplications(@Arg('tenantId', () => IdScalar) tenantId: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.applications.listManagement(tenantId);
  }

  @Mutation(() => ApplicationWithSecret)
  createManagementApplication(@Arg('tenantId', () => IdScalar) tenantId: string, @Arg('input') input: ManagementApplicationInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.applications.createManagement(tenantId, input);
  }

  @Mutation(() => Application, { description: 'Fields given replace the current ones; object fields are replaced whole.' })
  updateManagementApplication(
    @Arg('tenantId', () => IdScalar) tenantId: string,
    @Arg('id', () => IdScalar) id: string,
    @Arg('input') input: ManagementApplicationInput,
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.applications.updateManagement(tenantId, id, input);
  }

  @Mutation(() => Boolean, { description: 'Deletes the management application and its assignments.' })
  deleteManagementApplication(@Arg('tenantId', () => IdScalar) tenantId: string, @Arg('id', () => IdScalar) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.applications.deleteManagement(tenantId, id);
  }

  @FieldResolver(() => Partner, { nullable: true })
  partner(@Root() application: ApplicationView, @Ctx() ctx: GatewayContext) {
    return application.partnerId ? ctx.loaders.partnerById.load(application.partnerId) : null;
  }

  @FieldResolver(() => Tenant, { nullable: true })
  tenant(@Root() application: ApplicationView, @Ctx() ctx: GatewayContext) {
    return application.tenantId ? ctx.loaders.tenantById.load(application.tenantId) : null;
  }

  @FieldResolver(() => EffectiveUserPage, { description: 'Users who hold the application, restricted to what the caller may see (SPEC §2).' })
  effectiveUsers(@Root() application: ApplicationView, @Args() args: EffectiveUsersArgs, @Ctx() ctx: GatewayContext, @Info() info: GraphQLResolveInfo) {
    return pageWithChangesCursor(ctx.services.access, info, application.id, () =>
      ctx.loaders.effectiveUsers.page(application.id, { tenantId: args.tenantId ?? null }, effectiveUsersRequest(application.id, args, effectiveUsersSelection(info))),
    );
  }

  @FieldResolver(() => Int)
  effectiveUserCount(@Root() application: ApplicationView, @Arg('tenantId', () => IdScalar, { nullable: true }) tenantId: string | null, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.effectiveUsers.count(application.id, { tenantId: tenantId ?? null });
  }

  @FieldResolver(() => ApplicationAssignees, { description: 'Direct assignees in the tenants the caller may see.' })
  assignees(@Root() application: ApplicationView, @Arg('tenantId', () => IdScalar, { nullable: true }) tenantId: string | null, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.applicationAssignees.load({ parentId: application.id, options: { tenantId: tenantId ?? null } });
  }
}
