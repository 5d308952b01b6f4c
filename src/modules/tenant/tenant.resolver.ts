import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { rights } from '../../auth/rights.js';
import { PageArgs, pageRequest } from '../../common/paging.js';
import type { GatewayContext } from '../../graphql/context.js';
import { ApplicationPage } from '../application/application.types.js';
import { GroupListArgs, GroupPage } from '../group/group.types.js';
import { Partner } from '../partner/partner.entity.js';
import { UserListArgs, UserPage } from '../user/user.types.js';
import { Tenant } from './tenant.entity.js';
import { effectiveSettings, TenantSettings } from './tenant.settings.js';
import { CreateTenantInput, TenantListArgs, TenantPage, UpdateTenantInput } from './tenant.types.js';
import { IdScalar } from '../../common/scalars.js';

@Resolver(() => Tenant)
export class TenantResolver {
  @Query(() => TenantPage, { description: 'Tenants the caller may see.' })
  tenants(@Args() args: TenantListArgs, @Ctx() ctx: GatewayContext) {
    return ctx.services.tenants.list(args);
  }

  @Query(() => Tenant)
  tenant(@Arg('id', () => IdScalar) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.tenants.get(id);
  }

  @Mutation(() => Tenant)
  createTenant(@Arg('input') input: CreateTenantInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.tenants.create(input);
  }

  @Mutation(() => Tenant)
  updateTenant(@Arg('id', () => IdScalar) id: string, @Arg('input') input: UpdateTenantInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.tenants.update(id, input);
  }

  @Mutation(() => Boolean, { description: 'Soft delete: hides the tenant and everything under it.' })
  deleteTenant(@Arg('id', () => IdScalar) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.tenants.delete(id);
  }

  @Mutation(() => Tenant, { description: 'Brings back a soft-deleted tenant and everything under it.' })
  restoreTenant(@Arg('id', () => IdScalar) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.tenants.restore(id);
  }

  @FieldResolver(() => Partner, { nullable: true })
  partner(@Root() tenant: Tenant, @Ctx() ctx: GatewayContext) {
    return tenant.partnerId ? ctx.loaders.partnerById.load(tenant.partnerId) : null;
  }

  @FieldResolver(() => TenantSettings)
  settings(@Root() tenant: Tenant) {
    return effectiveSettings(tenant.settings);
  }

  @FieldResolver(() => UserPage)
  users(@Root() tenant: Tenant, @Args() args: UserListArgs, @Ctx() ctx: GatewayContext) {
    if (args.includeDeleted) rights.seeDeleted(ctx.viewer);
    const filter = { search: args.search ?? null, status: args.status ?? null, ...(args.includeDeleted ? { includeDeleted: true } : {}) };
    return ctx.loaders.tenantUsers.page(tenant.id, filter, pageRequest(args));
  }

  @FieldResolver(() => GroupPage)
  groups(@Root() tenant: Tenant, @Args() args: GroupListArgs, @Ctx() ctx: GatewayContext) {
    if (args.includeDeleted) rights.seeDeleted(ctx.viewer);
    return ctx.loaders.tenantGroups.page(tenant.id, { search: args.search ?? null, ...(args.includeDeleted ? { includeDeleted: true } : {}) }, pageRequest(args));
  }

  @FieldResolver(() => ApplicationPage, { description: 'GLOBAL applications, PARTNER ones of its partner, TENANT ones of this tenant.' })
  availableApplications(@Root() tenant: Tenant, @Args() args: PageArgs, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.tenantAvailableApplications.page(tenant.id, null, pageRequest(args));
  }
}
