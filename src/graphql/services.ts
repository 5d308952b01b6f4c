import { AccessService } from '../modules/access/access.service.js';
import { ApplicationService } from '../modules/application/application.service.js';
import { AssignmentService } from '../modules/assignment/assignment.service.js';
import { AuditService } from '../modules/audit/audit.service.js';
import { GroupService } from '../modules/group/group.service.js';
import { PartnerService } from '../modules/partner/partner.service.js';
import { TenantService } from '../modules/tenant/tenant.service.js';
import { UserService } from '../modules/user/user.service.js';
import type { RequestContext } from './context.js';

/** The per-request services: data access bound to the request's viewer, EntityManager and loaders. */
export function createServices(ctx: RequestContext) {
  return {
    partners: new PartnerService(ctx),
    tenants: new TenantService(ctx),
    users: new UserService(ctx),
    groups: new GroupService(ctx),
    applications: new ApplicationService(ctx),
    assignments: new AssignmentService(ctx),
    audit: new AuditService(ctx),
    access: new AccessService(ctx),
  };
}

export type Services = ReturnType<typeof createServices>;
