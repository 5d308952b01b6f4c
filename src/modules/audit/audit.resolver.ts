import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../../graphql/context.js';
import { AuditEventListArgs, AuditEventPage } from './audit.types.js';

@Resolver()
export class AuditResolver {
  @Query(() => AuditEventPage, { description: 'Audit log, newest first, with the visibility of tenants.' })
  auditEvents(@Args() args: AuditEventListArgs, @Ctx() ctx: GatewayContext) {
    return ctx.services.audit.list(args);
  }
}
