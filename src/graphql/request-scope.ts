import { AccessService } from '../modules/access/access.service.js';
import { createApplicationLoaders } from '../modules/application/application.loaders.js';
import { ApplicationService } from '../modules/application/application.service.js';
import { createAssignmentLoaders } from '../modules/assignment/assignment.loaders.js';
import { AssignmentService } from '../modules/assignment/assignment.service.js';
import { AuditService } from '../modules/audit/audit.service.js';
import { createGroupLoaders } from '../modules/group/group.loaders.js';
import { GroupService } from '../modules/group/group.service.js';
import { createPartnerLoaders } from '../modules/partner/partner.loaders.js';
import { PartnerService } from '../modules/partner/partner.service.js';
import type { RequestContext } from '../modules/request-context.js';
import { createTenantLoaders } from '../modules/tenant/tenant.loaders.js';
import { TenantService } from '../modules/tenant/tenant.service.js';
import { createUserLoaders } from '../modules/user/user.loaders.js';
import { UserService } from '../modules/user/user.service.js';

/**
 * The composition root of a request: the one place where loaders and services are built, each given
 * the request's data and, through its constructor, the collaborators it uses. Loaders read through the
 * visibility module only and never call services; services may use loaders and lower services.
 */
export function createLoaders(data: RequestContext) {
  return {
    ...createPartnerLoaders(data),
    ...createTenantLoaders(data),
    ...createUserLoaders(data),
    ...createGroupLoaders(data),
    ...createApplicationLoaders(data),
    ...createAssignmentLoaders(data),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

export function createServices(data: RequestContext, loaders: Loaders) {
  const partners = new PartnerService(data, loaders);
  const tenants = new TenantService(data, loaders, partners);
  const users = new UserService(data, loaders, tenants);
  const groups = new GroupService(data, loaders, tenants, users);
  const applications = new ApplicationService(data, loaders, partners, tenants);
  const assignments = new AssignmentService(data, loaders, { applications, tenants, users, groups });
  const audit = new AuditService(data);
  const access = new AccessService(data, { applications, users, groups });
  return { partners, tenants, users, groups, applications, assignments, audit, access };
}

export type Services = ReturnType<typeof createServices>;

export interface RequestScope {
  loaders: Loaders;
  services: Services;
}

export function createRequestScope(data: RequestContext): RequestScope {
  const loaders = createLoaders(data);
  return { loaders, services: createServices(data, loaders) };
}
