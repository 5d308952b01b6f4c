import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { AuditEventListArgs, AuditEventPage } from './audit.types.js';

@Resolver()
export class AuditResolver {
  @Query(() => AuditEventPage, { description: 'Audit log, newest first, with the visibility of tenants.' })
  auditEvents(@Args() args: AuditEventListArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.audit.list(args);
  }
}
