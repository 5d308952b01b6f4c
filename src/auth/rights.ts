import { ForbiddenError } from '../common/errors.js';
import type { Viewer } from './viewer.js';

/**
 * Write rights of SPEC §3, checked by services after the target was loaded through the viewer's
 * visibility filter (so "cannot see" is already NOT_FOUND; these turn "can see, cannot change" into FORBIDDEN).
 */
export const rights = {
  /**
   * Level rules: who may create partners or tenants at all. Checked first (before the input and any row
   * it names), as the shield map did when it held them; hence the generic message clients have seen.
   */
  createPartner(viewer: Viewer): void {
    if (viewer.kind !== 'super_admin') throw new ForbiddenError();
  },

  /** Tenants are created by super admins and partner admins only (a tenant admin never, whatever partner it names). */
  createTenant(viewer: Viewer): void {
    if (viewer.kind !== 'super_admin' && viewer.kind !== 'partner_admin') throw new ForbiddenError();
  },

  /** Partners: created, changed and deleted by super admins only. */
  writePartner(viewer: Viewer): void {
    if (viewer.kind !== 'super_admin') throw new ForbiddenError('Only super admins can change partners');
  },

  /** Tenants are created and deleted by super admins, and by partner admins inside their partner. */
  createOrDeleteTenant(viewer: Viewer, tenantPartnerId: string | null): void {
    if (viewer.kind === 'super_admin') return;
    if (viewer.kind === 'partner_admin' && tenantPartnerId === viewer.partnerId) return;
    throw new ForbiddenError('Not allowed to create or delete tenants here');
  },

  /** Moving a tenant to another partner is a super admin's decision. */
  moveTenant(viewer: Viewer): void {
    if (viewer.kind !== 'super_admin') throw new ForbiddenError("Only super admins can change a tenant's partner");
  },

  /**
   * Applications: super admins any scope; partner admins PARTNER of P and TENANT of P's tenants;
   * tenant admins TENANT of T. Callers pass an application the viewer can see (or one it is about
   * to create in a partner/tenant it can see), so the scope decides.
   */
  writeApplication(viewer: Viewer, scope: string): void {
    if (viewer.kind === 'super_admin') return;
    if (viewer.kind === 'partner_admin' && (scope === 'PARTNER' || scope === 'TENANT')) return;
    if (viewer.kind === 'tenant_admin' && scope === 'TENANT') return;
    throw new ForbiddenError(`Not allowed to change ${scope} applications`);
  },

  /** Soft-deleted rows (restore targets, `includeDeleted` lists) are listed for super and partner admins only. */
  seeDeleted(viewer: Viewer): void {
    if (viewer.kind === 'super_admin' || viewer.kind === 'partner_admin') return;
    throw new ForbiddenError('Only super admins and partner admins can list deleted rows');
  },
};
