import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../../graphql/context.js';
import { IdScalar } from '../../common/scalars.js';
import { AccessChangeInput, AccessChangePage, AccessExplanation, AccessPreview } from './access.types.js';

@Resolver()
export class AccessResolver {
  @Query(() => AccessExplanation, { description: 'Why a user does or does not hold an application: direct, via groups, and what blocks it.' })
  accessExplanation(
    @Arg('applicationId', () => IdScalar) applicationId: string,
    @Arg('userId', () => IdScalar) userId: string,
    @Arg('tenantId', () => IdScalar, { nullable: true, description: 'The user must be in this tenant (REST path).' }) tenantId: string | null,
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.access.explain(applicationId, userId, tenantId ?? null);
  }

  @Query(() => AccessPreview, { description: 'Who would lose which applications if the change were made; nothing is written.' })
  previewAccessChange(@Arg('change', () => AccessChangeInput) change: AccessChangeInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.access.preview(change);
  }

  @Query(() => AccessChangePage, { description: 'Changes of effective access of an application, oldest first, after a cursor (a changesCursor or endCursor).' })
  accessChanges(
    @Arg('applicationId', () => IdScalar) applicationId: string,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('first', () => Int, { nullable: true, description: 'Changes per page, 1..100 (default 100).' }) first: number | null,
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.access.changes(applicationId, after, first);
  }
}
