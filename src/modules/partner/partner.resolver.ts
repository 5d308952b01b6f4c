import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, pageRequest } from '../../common/paging.js';
import type { GatewayContext } from '../../graphql/context.js';
import { TenantPage } from '../tenant/tenant.types.js';
import { Partner } from './partner.entity.js';
import { CreatePartnerInput, PartnerListArgs, PartnerPage, UpdatePartnerInput } from './partner.types.js';
import { IdScalar } from '../../common/scalars.js';

@Resolver(() => Partner)
export class PartnerResolver {
  @Query(() => PartnerPage, { description: 'Partners the caller may see.' })
  partners(@Args() args: PartnerListArgs, @Ctx() ctx: GatewayContext) {
    return ctx.services.partners.list(args);
  }

  @Query(() => Partner)
  partner(@Arg('id', () => IdScalar) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.partners.get(id);
  }

  @Mutation(() => Partner)
  createPartner(@Arg('input') input: CreatePartnerInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.partners.create(input);
  }

  @Mutation(() => Partner)
  updatePartner(@Arg('id', () => IdScalar) id: string, @Arg('input') input: UpdatePartnerInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.partners.update(id, input);
  }

  @Mutation(() => Boolean, { description: 'Soft delete; CONFLICT while the partner has live tenants.' })
  deletePartner(@Arg('id', () => IdScalar) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.partners.delete(id);
  }

  @FieldResolver(() => TenantPage)
  tenants(@Root() partner: Partner, @Args() args: PageArgs, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.partnerTenants.page(partner.id, null, pageRequest(args));
  }
}
