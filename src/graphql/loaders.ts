import { createApplicationLoaders } from '../modules/application/application.loaders.js';
import { createAssignmentLoaders } from '../modules/assignment/assignment.loaders.js';
import { createGroupLoaders } from '../modules/group/group.loaders.js';
import { createPartnerLoaders } from '../modules/partner/partner.loaders.js';
import { createTenantLoaders } from '../modules/tenant/tenant.loaders.js';
import { createUserLoaders } from '../modules/user/user.loaders.js';
import type { RequestContext } from './context.js';

/** Fresh DataLoaders for one request; each feature contributes its own. */
export function createLoaders(ctx: RequestContext) {
  return {
    ...createPartnerLoaders(ctx),
    ...createTenantLoaders(ctx),
    ...createUserLoaders(ctx),
    ...createGroupLoaders(ctx),
    ...createApplicationLoaders(ctx),
    ...createAssignmentLoaders(ctx),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
