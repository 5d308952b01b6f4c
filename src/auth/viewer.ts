/**
 * Who is calling, derived once per request from the bearer token (src/auth/tokens.ts).
 * Data access takes the viewer and turns it into SQL filters (src/auth/visibility.ts).
 */

interface ViewerBase {
  /** `sub` of the token. */
  subject: string;
  scopes: ReadonlySet<string>;
}

export interface SuperAdminViewer extends ViewerBase {
  kind: 'super_admin';
}
export interface PartnerAdminViewer extends ViewerBase {
  kind: 'partner_admin';
  partnerId: string;
}
export interface TenantAdminViewer extends ViewerBase {
  kind: 'tenant_admin';
  tenantId: string;
  /** The partner of the tenant (null for a tenant without partner), looked up when the token is accepted. */
  partnerId: string | null;
  /** Set when a management application's token acts as the admin of its tenant. */
  applicationId?: string;
}
/** A non-management application's token: reads only its own application and effective users. */
export interface ApplicationViewer extends ViewerBase {
  kind: 'application';
  applicationId: string;
  clientId: string;
}
export interface AnonymousViewer {
  kind: 'anonymous';
}

export type AdminViewer = SuperAdminViewer | PartnerAdminViewer | TenantAdminViewer;
export type Viewer = AdminViewer | ApplicationViewer | AnonymousViewer;

export const READ_SCOPE = 'admin:read';
export const WRITE_SCOPE = 'admin:write';

export function isAdmin(viewer: Viewer): viewer is AdminViewer {
  return viewer.kind === 'super_admin' || viewer.kind === 'partner_admin' || viewer.kind === 'tenant_admin';
}

export function hasScope(viewer: Viewer, scope: string): boolean {
  return viewer.kind !== 'anonymous' && viewer.scopes.has(scope);
}

/** Audit actor of a viewer. */
export function actorOf(viewer: Viewer): { actorType: string; actorId: string } {
  switch (viewer.kind) {
    case 'anonymous':
      return { actorType: 'anonymous', actorId: '' };
    case 'tenant_admin':
      return viewer.applicationId ? { actorType: 'management_application', actorId: viewer.applicationId } : { actorType: 'tenant_admin', actorId: viewer.subject };
    default:
      return { actorType: viewer.kind, actorId: viewer.subject };
  }
}
