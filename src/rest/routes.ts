import { toSnakeKeys } from './case.js';
import { bodyInput, empty, fromBody, fromPath, fromQuery, list, managementTenant, queryNames, single, type RestRoute, type VariableSource } from './route.js';
import {
  APPLICATION_SCOPES,
  APPLICATION_TYPES,
  ApplicationCreate,
  ApplicationUpdate,
  AssignmentCreate,
  BulkAssignmentCreate,
  GroupCreate,
  GroupUpdate,
  ManagementAppCreate,
  ManagementAppUpdate,
  MemberCreate,
  PartnerCreate,
  PartnerUpdate,
  RotateSecretRequest,
  TENANT_STATUSES,
  TenantCreate,
  TenantUpdate,
  USER_STATUSES,
  UserCreate,
  UserUpdate,
  pageParams,
  ref,
  searchParam,
  uuid,
} from './schemas.js';
import { EXAMPLE_IDS } from './examples.js';

// ---- selections: what a REST representation holds, in GraphQL terms (snake_cased on the way out) ----

const APPLICATION = `id name description applicationType scope partnerId tenantId redirectUris clientId secretRotatedAt
  loginUri subdomain customDomain inviteMemberEmailExpirationMinutes pkce firstClientAuthenticationProtocol firstClient createdAt updatedAt`;
const TENANT = `id name slug status partnerId createdAt updatedAt
  settings { mfaRequired mfaMethods sessionTimeout passwordPolicy { minLength requireUppercase requireLowercase requireDigit requireSymbol maxAgeDays } }`;
const PARTNER = 'id name createdAt updatedAt';
const USER = 'id tenantId email name status createdAt updatedAt';
const GROUP = 'id tenantId name description createdAt updatedAt';
const ASSIGNMENT = 'id tenantId applicationId userId groupId assignmentType assignedAt';
const APP_ASSIGNMENT = 'applicationId applicationName applicationClientId assignedAt assignmentType assignedVia';
const EFFECTIVE_USER = 'id email name tenantId tenantName direct groups { id name }';
const PAGINATION = 'pagination { page perPage totalItems totalPages }';
/** Deleted rows show `deleted_at` only where they can appear: lists with include_deleted, and restores. */
const DELETED_AT = 'deletedAt @include(if: $includeDeleted)';
/** The same in the generic list documents, whose variables are named after their query parameters. */
const DELETED_AT_SNAKE = 'deletedAt @include(if: $include_deleted)';
const SECRETS = 'secrets { id createdAt expiresAt lastUsedAt }';
const INCLUDE_DELETED = { type: 'boolean', default: false, description: 'Also soft-deleted rows (super and partner admins; tenant admins 403).' };

const snake = <T = any>(value: unknown): T => toSnakeKeys<T>(value);
const snakePage = (page: { items: unknown[]; pagination: unknown }) => ({ items: snake<unknown[]>(page.items), pagination: page.pagination });

// `changesCursor` costs a statement and only envelopes of requests naming `cursor` show it.
const EFFECTIVE_USER_PAGE = `items { ${EFFECTIVE_USER} } ${PAGINATION} endCursor hasNextPage changesCursor @include(if: $withCursor)`;
const cursorParam = {
  type: 'string',
  maxLength: 2000,
  description: 'Sync clients: `next_cursor` of the previous page (empty to start). With it, `pagination` also holds `next_cursor` (null on the last page).',
};
/** Effective users: `pagination` as for every list, plus `next_cursor` when the request used `cursor` (even empty, to start). */
function effectiveUsersPage(
  page: { items: unknown[]; pagination: object; endCursor: string | null; hasNextPage: boolean; changesCursor?: string | null },
  query: Record<string, unknown>,
) {
  const snaked = snakePage(page);
  if (!('cursor' in query)) return snaked;
  // `changes_cursor`: where to poll the change feed from (keep the one of the first page).
  return { ...snaked, pagination: { ...page.pagination, nextCursor: page.hasNextPage ? page.endCursor : null, changesCursor: page.changesCursor ?? null } };
}

const ACCESS_CHANGE = 'applicationId userId tenantId email change causeAction causeTargetType causeTargetId actorType actorId at';
const EXPLANATION = 'applicationId userId tenantId hasAccess direct { assignedAt } viaGroups { groupId groupName assignedAt } blockedBy { reason groupId }';
const PREVIEW = `losingCount applications { applicationId applicationName losingCount keepingCount losing { ${EFFECTIVE_USER} } }`;
const ACCESS_CHANGE_KINDS = ['UNASSIGN_FROM_USER', 'UNASSIGN_FROM_GROUP', 'REMOVE_GROUP_MEMBER', 'DELETE_GROUP', 'DELETE_USER', 'DISABLE_USER'];

/** Access insight (issue 11): explanation, what-if preview, change feed. */
const accessRoutes = (): RestRoute[] => [
  {
    operationId: 'getApplicationEffectiveUserChanges', method: 'get', path: '/api/v1/admin/applications/{application_id}/effective-users/changes', tag: 'Applications',
    style: 'api', status: 200, summary: 'Get Application Effective User Changes',
    description:
      'Users who gained (`granted`) or lost (`revoked`) the application, oldest first, after `cursor` (a `changes_cursor` of an effective-users read, or the `next_cursor` of the previous call). ' +
      '`next_cursor` is never null: poll with it. A cursor older than the retention → 410: read all effective users again.',
    queryParams: { cursor: { type: 'string', maxLength: 2000, description: 'Feed position (empty: from the oldest change kept).' }, limit: { ...{ type: 'integer', minimum: 1, maximum: 100 }, default: 100, description: 'Changes per call, 1..100.' } },
    document: `query($applicationId: ID!, $after: String, $first: Int) { accessChanges(applicationId: $applicationId, after: $after, first: $first) { items { ${ACCESS_CHANGE} } endCursor hasNextPage } }`,
    variables: { applicationId: fromPath('application_id'), after: fromQuery('cursor'), first: fromQuery('limit') },
    reply: list((d) => ({
      items: snake<unknown[]>(d.accessChanges.items),
      pagination: { perPage: d.accessChanges.items.length, nextCursor: d.accessChanges.endCursor, hasMore: d.accessChanges.hasNextPage },
    })),
    paginationSchema: 'ChangeFeedPagination',
    response: { type: 'array', items: { type: 'object' } },
  },
  {
    operationId: 'getUserApplicationAccess', method: 'get', path: `${TENANT_BASE}/users/{user_id}/applications/{application_id}/access`, tag: 'App Assignments',
    style: 'api', status: 200, summary: 'Explain User Application Access',
    description: 'Whether the user holds the application, directly or through which groups, and what blocks an existing path (user disabled or deleted, tenant deleted, group deleted, out of scope, application deleted).',
    document: `query($tenantId: ID!, $userId: ID!, $applicationId: ID!) { accessExplanation(tenantId: $tenantId, userId: $userId, applicationId: $applicationId) { ${EXPLANATION} } }`,
    variables: { ...tenantPath, userId: fromPath('user_id'), applicationId: fromPath('application_id') },
    reply: single((d) => snake(d.accessExplanation)),
    response: { type: 'object' },
  },
  {
    operationId: 'previewAccessChange', method: 'post', path: '/api/v1/admin/access-preview', tag: 'Applications', style: 'api', status: 200,
    summary: 'Preview Access Change', description: 'Who would lose which applications if the change were made. Nothing is written; needs the rights of the change itself.',
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'tenant_id'],
      properties: { kind: { type: 'string', enum: ACCESS_CHANGE_KINDS }, tenant_id: uuid, application_id: uuid, user_id: uuid, group_id: uuid },
    },
    example: { kind: 'DISABLE_USER', tenant_id: EXAMPLE_IDS.tenant_id, user_id: EXAMPLE_IDS.user_id },
    document: `query($change: AccessChangeInput!) { previewAccessChange(change: $change) { ${PREVIEW} } }`,
    variables: { change: bodyInput() },
    reply: single((d) => snake(d.previewAccessChange)),
    response: { type: 'object' },
  },
];

/** A management app as management-apps-api.txt names it: `app_name` / `app_description`. */
function managementApp(application: Record<string, unknown>, clientSecret?: string) {
  const { name, description, applicationType: _type, scope: _scope, partnerId: _partner, redirectUris: _uris, ...rest } = application;
  return snake({ id: rest.id, appName: name, appDescription: description, ...rest, ...(clientSecret ? { clientSecret } : {}) });
}

const pageVariables: Record<string, VariableSource> = { page: fromQuery('page'), perPage: fromQuery('per_page') };
const tenantPath = { tenantId: fromPath('tenant_id') };
const listOf = (schema: string) => ({ type: 'array', items: ref(schema) });

const ADMIN_APPS = '/api/v1/admin/applications/';
const ADMIN_TENANTS = '/api/v1/admin/tenants/';
const ADMIN_PARTNERS = '/api/v1/admin/partners/';
const TENANT_BASE = '/api/v1/tenants/{tenant_id}';
const MANAGEMENT = '/v1/management/applications';

export const routes: RestRoute[] = [
  // ---------------- admin-applications-api.txt (7) ----------------
  {
    operationId: 'listApplications', method: 'get', path: ADMIN_APPS, tag: 'Applications', style: 'api', status: 200,
    summary: 'List Applications', description: 'Applications the caller may see (GLOBAL, PARTNER and TENANT by the caller\'s level).',
    queryParams: {
      ...pageParams,
      tenant_id: { ...uuid, description: 'TENANT applications of this tenant' },
      partner_id: { ...uuid, description: 'Filter by partner (all tenants in partner)' },
      scope: { type: 'string', enum: APPLICATION_SCOPES, description: 'Filter by scope: GLOBAL, PARTNER, TENANT' },
      application_type: { type: 'string', enum: APPLICATION_TYPES },
      search: { ...searchParam, description: 'Case-insensitive match on name, description or client_id' },
      include_deleted: INCLUDE_DELETED,
    },
    document: `query($page: Int, $perPage: Int, $tenantId: ID, $partnerId: ID, $scope: ApplicationScope, $applicationType: ApplicationType, $search: String, $includeDeleted: Boolean = false) {
      applications(page: $page, perPage: $perPage, tenantId: $tenantId, partnerId: $partnerId, scope: $scope, applicationType: $applicationType, search: $search, includeDeleted: $includeDeleted) { items { ${APPLICATION} ${DELETED_AT} } ${PAGINATION} } }`,
    variables: {
      ...pageVariables, tenantId: fromQuery('tenant_id'), partnerId: fromQuery('partner_id'), scope: fromQuery('scope'),
      applicationType: fromQuery('application_type'), search: fromQuery('search'), includeDeleted: fromQuery('include_deleted'),
    },
    reply: list((d) => snakePage(d.applications)),
    response: listOf('Application'),
  },
  {
    operationId: 'createApplication', method: 'post', path: ADMIN_APPS, tag: 'Applications', style: 'api', status: 201,
    summary: 'Create Application', description: 'Creates an OAuth client. The response carries `client_secret`, shown only here.',
    body: ApplicationCreate,
    // No scope: it is inferred from the caller's level, so the example works for every admin.
    example: { name: 'Support Desk', description: 'Help-desk web app', application_type: 'web', redirect_uris: ['https://support.example.com/callback'] },
    location: '/api/v1/admin/applications/{id}', returnsSecret: true,
    document: `mutation($input: CreateApplicationInput!) { createApplication(input: $input) { clientSecret application { ${APPLICATION} } } }`,
    variables: { input: bodyInput() },
    reply: single((d) => snake({ ...d.createApplication.application, clientSecret: d.createApplication.clientSecret })),
    response: ref('ApplicationWithSecret'),
  },
  {
    operationId: 'deleteApplication', method: 'delete', path: '/api/v1/admin/applications/{application_id}', tag: 'Applications', style: 'api', status: 204,
    summary: 'Delete Application', description: 'Soft delete; assignments are kept for a restore.',
    document: 'mutation($id: ID!) { deleteApplication(id: $id) }',
    variables: { id: fromPath('application_id') },
    reply: empty,
  },
  {
    operationId: 'getApplication', method: 'get', path: '/api/v1/admin/applications/{application_id}', tag: 'Applications', style: 'api', status: 200,
    summary: 'Get Application',
    document: `query($id: ID!) { application(id: $id) { ${APPLICATION} ${SECRETS} } }`,
    variables: { id: fromPath('application_id') },
    reply: single((d) => snake(d.application)),
    response: ref('Application'),
  },
  {
    operationId: 'updateApplication', method: 'patch', path: '/api/v1/admin/applications/{application_id}', tag: 'Applications', style: 'api', status: 200,
    summary: 'Update Application',
    body: ApplicationUpdate,
    example: { description: 'Help desk for every tenant', redirect_uris: ['https://support.example.com/callback', 'https://support.example.com/silent-renew'] },
    document: `mutation($id: ID!, $input: UpdateApplicationInput!) { updateApplication(id: $id, input: $input) { ${APPLICATION} } }`,
    variables: { id: fromPath('application_id'), input: bodyInput() },
    reply: single((d) => snake(d.updateApplication)),
    response: ref('Application'),
  },
  {
    operationId: 'getApplicationEffectiveUsers', method: 'get', path: '/api/v1/admin/applications/{application_id}/effective-users', tag: 'Applications', style: 'api',
    status: 200, summary: 'Get Application Effective Users',
    description: 'Users who hold the application directly or through a group, across the tenants the caller may see. An application token may read its own.',
    queryParams: { ...pageParams, tenant_id: { ...uuid, description: 'Filter by specific tenant' }, cursor: cursorParam },
    document: `query($applicationId: ID!, $tenantId: ID, $page: Int, $perPage: Int, $after: String, $withCursor: Boolean!) {
      effectiveUsers(applicationId: $applicationId, tenantId: $tenantId, page: $page, perPage: $perPage, after: $after) { ${EFFECTIVE_USER_PAGE} } }`,
    variables: { applicationId: fromPath('application_id'), tenantId: fromQuery('tenant_id'), ...pageVariables, after: fromQuery('cursor'), withCursor: queryNames('cursor') },
    reply: list((d, query) => effectiveUsersPage(d.effectiveUsers, query)),
    response: listOf('EffectiveUser'),
  },
  {
    operationId: 'rotateApplicationSecret', method: 'post', path: '/api/v1/admin/applications/{application_id}/rotate-secret', tag: 'Applications', style: 'api',
    status: 200, summary: 'Rotate Application Secret',
    description: 'Issues a new client secret; the old one stops working at once, or after `grace_period_seconds` (tokens obtained with it during the grace period end with it).',
    returnsSecret: true,
    body: RotateSecretRequest, bodyOptional: true, example: { grace_period_seconds: 3600 },
    document: 'mutation($id: ID!, $grace: Int) { rotateApplicationSecret(id: $id, gracePeriodSeconds: $grace) { id clientId clientSecret rotatedAt secretId previousSecretExpiresAt } }',
    variables: { id: fromPath('application_id'), grace: fromBody('grace_period_seconds') },
    // Without a grace period the answer is what it always was; with one it also names the new secret and when the previous one ends.
    reply: single((d) => {
      const { secretId, previousSecretExpiresAt, ...rotated } = d.rotateApplicationSecret;
      return snake(previousSecretExpiresAt ? { ...rotated, secretId, previousSecretExpiresAt } : rotated);
    }),
    response: ref('RotatedSecret'),
  },

  // ---------------- admin-tenants-api.txt (5) ----------------
  {
    operationId: 'listTenants', method: 'get', path: ADMIN_TENANTS, tag: 'Tenants', style: 'api', status: 200, summary: 'List Tenants',
    queryParams: {
      ...pageParams,
      search: { ...searchParam, description: 'Case-insensitive match on name or slug' },
      status: { type: 'string', enum: TENANT_STATUSES },
      partner_id: uuid,
      include_deleted: INCLUDE_DELETED,
    },
    document: `query($page: Int, $perPage: Int, $search: String, $status: TenantStatus, $partnerId: ID, $includeDeleted: Boolean = false) {
      tenants(page: $page, perPage: $perPage, search: $search, status: $status, partnerId: $partnerId, includeDeleted: $includeDeleted) { items { ${TENANT} ${DELETED_AT} } ${PAGINATION} } }`,
    variables: { ...pageVariables, search: fromQuery('search'), status: fromQuery('status'), partnerId: fromQuery('partner_id'), includeDeleted: fromQuery('include_deleted') },
    reply: list((d) => snakePage(d.tenants)),
    response: listOf('Tenant'),
  },
  {
    operationId: 'createTenant', method: 'post', path: ADMIN_TENANTS, tag: 'Tenants', style: 'api', status: 201, summary: 'Create Tenant',
    body: TenantCreate,
    example: { name: 'Initech', status: 'active', settings: { mfa_required: true, mfa_methods: ['totp', 'webauthn'], session_timeout: 120 } },
    location: '/api/v1/admin/tenants/{id}',
    document: `mutation($input: CreateTenantInput!) { createTenant(input: $input) { ${TENANT} } }`,
    variables: { input: bodyInput() },
    reply: single((d) => snake(d.createTenant)),
    response: ref('Tenant'),
  },
  {
    operationId: 'deleteTenant', method: 'delete', path: '/api/v1/admin/tenants/{tenant_id}', tag: 'Tenants', style: 'api', status: 204,
    summary: 'Delete Tenant', description: 'Soft delete: hides the tenant and everything under it.',
    document: 'mutation($id: ID!) { deleteTenant(id: $id) }',
    variables: { id: fromPath('tenant_id') },
    reply: empty,
  },
  {
    operationId: 'getTenant', method: 'get', path: '/api/v1/admin/tenants/{tenant_id}', tag: 'Tenants', style: 'api', status: 200, summary: 'Get Tenant',
    document: `query($id: ID!) { tenant(id: $id) { ${TENANT} } }`,
    variables: { id: fromPath('tenant_id') },
    reply: single((d) => snake(d.tenant)),
    response: ref('Tenant'),
  },
  {
    operationId: 'updateTenant', method: 'patch', path: '/api/v1/admin/tenants/{tenant_id}', tag: 'Tenants', style: 'api', status: 200,
    summary: 'Update Tenant', description: 'Settings: only the keys named are replaced; unknown keys or wrong types → 422.',
    body: TenantUpdate,
    example: { settings: { session_timeout: 30, password_policy: { min_length: 12, require_digit: true } } },
    document: `mutation($id: ID!, $input: UpdateTenantInput!) { updateTenant(id: $id, input: $input) { ${TENANT} } }`,
    variables: { id: fromPath('tenant_id'), input: bodyInput() },
    reply: single((d) => snake(d.updateTenant)),
    response: ref('Tenant'),
  },

  // ---------------- app-assignments-api.md (9) ----------------
  {
    operationId: 'getApplicationAssignees', method: 'get', path: `${TENANT_BASE}/applications/{application_id}/assignees`, tag: 'App Assignments', style: 'api',
    status: 200, summary: 'Get Application Assignees', description: 'Users and groups of the tenant the application is assigned to directly.',
    document: `query($tenantId: ID!, $applicationId: ID!) {
      applicationAssignees(tenantId: $tenantId, applicationId: $applicationId) { applicationId users groups totalUsers totalGroups } }`,
    variables: { ...tenantPath, applicationId: fromPath('application_id') },
    reply: single((d) => snake(d.applicationAssignees)),
    response: ref('ApplicationAssigneesResponse'),
  },
  {
    operationId: 'getTenantApplicationEffectiveUsers', method: 'get', path: `${TENANT_BASE}/applications/{application_id}/effective-users`, tag: 'App Assignments',
    style: 'api', status: 200, summary: 'Get Application Effective Users', description: 'Users of the tenant who hold the application directly or through a group.',
    queryParams: { ...pageParams, cursor: cursorParam },
    document: `query($tenantId: ID!, $applicationId: ID!, $page: Int, $perPage: Int, $after: String, $withCursor: Boolean!) {
      effectiveUsers(applicationId: $applicationId, tenantId: $tenantId, page: $page, perPage: $perPage, after: $after) { ${EFFECTIVE_USER_PAGE} } }`,
    variables: { ...tenantPath, applicationId: fromPath('application_id'), ...pageVariables, after: fromQuery('cursor'), withCursor: queryNames('cursor') },
    reply: list((d, query) => effectiveUsersPage(d.effectiveUsers, query)),
    response: listOf('EffectiveUser'),
  },
  {
    operationId: 'getGroupApplications', method: 'get', path: `${TENANT_BASE}/groups/{group_id}/applications`, tag: 'App Assignments', style: 'api',
    status: 200, summary: 'Get Group Applications',
    document: `query($tenantId: ID!, $groupId: ID!) { groupApplications(tenantId: $tenantId, groupId: $groupId) { ${APP_ASSIGNMENT} } }`,
    variables: { ...tenantPath, groupId: fromPath('group_id') },
    reply: single((d) => snake(d.groupApplications)),
    response: listOf('AppAssignment'),
  },
  {
    operationId: 'assignApplicationToGroup', method: 'post', path: `${TENANT_BASE}/groups/{group_id}/applications`, tag: 'App Assignments', style: 'api',
    status: 201, summary: 'Assign Application To Group', description: 'Idempotent: assigning twice keeps one assignment.',
    body: AssignmentCreate,
    example: { application_id: EXAMPLE_IDS.application_id },
    location: `${TENANT_BASE}/groups/{group_id}/applications/{application_id}`,
    document: `mutation($tenantId: ID!, $groupId: ID!, $applicationId: ID!) {
      assignApplicationToGroup(tenantId: $tenantId, groupId: $groupId, applicationId: $applicationId) { ${ASSIGNMENT} } }`,
    variables: { ...tenantPath, groupId: fromPath('group_id'), applicationId: fromBody('application_id') },
    reply: single((d) => snake(d.assignApplicationToGroup)),
    response: ref('Assignment'),
  },
  {
    operationId: 'unassignApplicationFromGroup', method: 'delete', path: `${TENANT_BASE}/groups/{group_id}/applications/{application_id}`, tag: 'App Assignments',
    style: 'api', status: 204, summary: 'Unassign Application From Group', description: '404 when the application is not assigned to the group.',
    document: `mutation($tenantId: ID!, $groupId: ID!, $applicationId: ID!) {
      unassignApplicationFromGroup(tenantId: $tenantId, groupId: $groupId, applicationId: $applicationId) }`,
    variables: { ...tenantPath, groupId: fromPath('group_id'), applicationId: fromPath('application_id') },
    reply: empty,
  },
  {
    operationId: 'getUserApplications', method: 'get', path: `${TENANT_BASE}/users/{user_id}/applications`, tag: 'App Assignments', style: 'api',
    status: 200, summary: 'Get User Applications', description: 'One entry per application, direct or through groups.',
    queryParams: { include_group_assignments: { type: 'boolean', default: true, description: 'Include apps assigned via groups' } },
    document: `query($tenantId: ID!, $userId: ID!, $includeGroupAssignments: Boolean!) {
      userApplications(tenantId: $tenantId, userId: $userId, includeGroupAssignments: $includeGroupAssignments) { userId totalCount applications { ${APP_ASSIGNMENT} } } }`,
    variables: { ...tenantPath, userId: fromPath('user_id'), includeGroupAssignments: fromQuery('include_group_assignments') },
    reply: single((d) => snake(d.userApplications)),
    response: ref('UserAssignedAppsResponse'),
  },
  {
    operationId: 'assignApplicationToUser', method: 'post', path: `${TENANT_BASE}/users/{user_id}/applications`, tag: 'App Assignments', style: 'api',
    status: 201, summary: 'Assign Application To User', description: 'Idempotent: assigning twice keeps one assignment.',
    body: AssignmentCreate,
    example: { application_id: EXAMPLE_IDS.application_id },
    location: `${TENANT_BASE}/users/{user_id}/applications/{application_id}`,
    document: `mutation($tenantId: ID!, $userId: ID!, $applicationId: ID!) {
      assignApplicationToUser(tenantId: $tenantId, userId: $userId, applicationId: $applicationId) { ${ASSIGNMENT} } }`,
    variables: { ...tenantPath, userId: fromPath('user_id'), applicationId: fromBody('application_id') },
    reply: single((d) => snake(d.assignApplicationToUser)),
    response: ref('Assignment'),
  },
  {
    operationId: 'bulkAssignApplicationsToUser', method: 'post', path: `${TENANT_BASE}/users/{user_id}/applications/bulk`, tag: 'App Assignments', style: 'api',
    status: 201, summary: 'Bulk Assign Applications To User',
    description: 'All or nothing: one application that is not available to the tenant → 404 and nothing is assigned. `data.assigned` lists one assignment per application.',
    body: BulkAssignmentCreate,
    example: { application_ids: [EXAMPLE_IDS.application_id] },
    // Several rows: the collection that lists them.
    location: `${TENANT_BASE}/users/{user_id}/applications`,
    document: `mutation($tenantId: ID!, $userId: ID!, $applicationIds: [ID!]!) {
      assignApplicationsToUser(tenantId: $tenantId, userId: $userId, applicationIds: $applicationIds) { ${ASSIGNMENT} } }`,
    variables: { ...tenantPath, userId: fromPath('user_id'), applicationIds: fromBody('application_ids') },
    reply: single((d, params) => ({ user_id: params.user_id, assigned: snake(d.assignApplicationsToUser) })),
    response: ref('BulkAssignment'),
  },
  {
    operationId: 'unassignApplicationFromUser', method: 'delete', path: `${TENANT_BASE}/users/{user_id}/applications/{application_id}`, tag: 'App Assignments',
    style: 'api', status: 204, summary: 'Unassign Application From User', description: '404 when the application is not assigned to the user directly.',
    document: `mutation($tenantId: ID!, $userId: ID!, $applicationId: ID!) {
      unassignApplicationFromUser(tenantId: $tenantId, userId: $userId, applicationId: $applicationId) }`,
    variables: { ...tenantPath, userId: fromPath('user_id'), applicationId: fromPath('application_id') },
    reply: empty,
  },

  // ---------------- management-apps-api.txt (4) ----------------
  {
    operationId: 'createManagementApp', method: 'post', path: MANAGEMENT, tag: 'Management Apps', style: 'management', status: 201,
    summary: 'Create management app', description: 'The tenant is the caller\'s; super and partner admins name it in `x-tenant-id`. The result carries `client_secret`, shown only here.',
    body: ManagementAppCreate,
    example: { app_name: 'Provisioning Bot', app_description: 'Creates users from the HR system', subdomain: 'provisioning', pkce: 'enforcePkceAlongsideClientCredentials', first_client_authentication_protocol: 'oidc' },
    location: `${MANAGEMENT}/{id}`, returnsSecret: true,
    document: `mutation($tenantId: ID!, $input: ManagementApplicationInput!) {
      createManagementApplication(tenantId: $tenantId, input: $input) { clientSecret application { ${APPLICATION} } } }`,
    variables: { tenantId: managementTenant, input: bodyInput({ app_name: 'name', app_description: 'description' }) },
    reply: single((d) => managementApp(d.createManagementApplication.application, d.createManagementApplication.clientSecret)),
    response: ref('ManagementApp'),
  },
  {
    operationId: 'listManagementApps', method: 'get', path: MANAGEMENT, tag: 'Management Apps', style: 'management', status: 200,
    summary: 'Get management apps',
    document: `query($tenantId: ID!) { managementApplications(tenantId: $tenantId) { ${APPLICATION} } }`,
    variables: { tenantId: managementTenant },
    reply: single((d) => d.managementApplications.map((a: Record<string, unknown>) => managementApp(a))),
    response: listOf('ManagementApp'),
  },
  {
    operationId: 'updateManagementApp', method: 'put', path: `${MANAGEMENT}/{app_id}`, tag: 'Management Apps', style: 'management', status: 200,
    summary: 'Update management app', description: 'Fields given replace the current ones; object fields are replaced whole.',
    body: ManagementAppUpdate,
    example: { app_name: 'Provisioning Bot', invite_member_email_expiration_minutes: 1440 },
    document: `mutation($tenantId: ID!, $id: ID!, $input: ManagementApplicationInput!) {
      updateManagementApplication(tenantId: $tenantId, id: $id, input: $input) { ${APPLICATION} } }`,
    variables: { tenantId: managementTenant, id: fromPath('app_id'), input: bodyInput({ app_name: 'name', app_description: 'description' }) },
    reply: single((d) => managementApp(d.updateManagementApplication)),
    response: ref('ManagementApp'),
  },
  {
    operationId: 'deleteManagementApp', method: 'delete', path: `${MANAGEMENT}/{app_id}`, tag: 'Management Apps', style: 'management', status: 204,
    summary: 'Delete management app', description: 'Deletes the management application and its assignments.',
    document: 'mutation($tenantId: ID!, $id: ID!) { deleteManagementApplication(tenantId: $tenantId, id: $id) }',
    variables: { tenantId: managementTenant, id: fromPath('app_id') },
    reply: empty,
  },

  // ---------------- SPEC §4 additions: partners, users, groups, members ----------------
  ...crud({
    tag: 'Partners', collection: ADMIN_PARTNERS, item: '/api/v1/admin/partners/{partner_id}', idParam: 'partner_id', entity: 'Partner', fields: PARTNER,
    scopeVariables: {}, scopeArgs: '', scopeDecl: '',
    list: { field: 'partners', search: 'Case-insensitive match on the name' }, one: 'partner',
    create: { field: 'createPartner', input: 'CreatePartnerInput', body: PartnerCreate, example: { name: 'Initrode Partners' } },
    update: { field: 'updatePartner', input: 'UpdatePartnerInput', body: PartnerUpdate, example: { name: 'Initrode Resellers' } },
    remove: { field: 'deletePartner', description: 'Soft delete; 409 while the partner has live tenants.' },
  }),
  ...crud({
    tag: 'Users', collection: `${TENANT_BASE}/users`, item: `${TENANT_BASE}/users/{user_id}`, idParam: 'user_id', entity: 'User', fields: USER,
    scopeVariables: tenantPath, scopeArgs: 'tenantId: $tenantId, ', scopeDecl: '$tenantId: ID!, ',
    list: {
      field: 'users', search: 'Case-insensitive match on email or name', extraQuery: { status: { type: 'string', enum: USER_STATUSES }, include_deleted: INCLUDE_DELETED },
      extraDecl: '$status: UserStatus, $include_deleted: Boolean = false, ', extraArgs: 'status: $status, includeDeleted: $include_deleted, ', extraFields: DELETED_AT_SNAKE,
    },
    one: 'user',
    create: { field: 'createUser', input: 'CreateUserInput', body: UserCreate, example: { email: 'jane.doe@example.com', name: 'Jane Doe', status: 'active' } },
    update: { field: 'updateUser', input: 'UpdateUserInput', body: UserUpdate, example: { name: 'Jane Q. Doe', status: 'disabled' } },
    remove: { field: 'deleteUser' },
  }),
  ...crud({
    tag: 'Groups', collection: `${TENANT_BASE}/groups`, item: `${TENANT_BASE}/groups/{group_id}`, idParam: 'group_id', entity: 'Group', fields: GROUP,
    scopeVariables: tenantPath, scopeArgs: 'tenantId: $tenantId, ', scopeDecl: '$tenantId: ID!, ',
    list: {
      field: 'groups', search: 'Case-insensitive match on name or description', extraQuery: { include_deleted: INCLUDE_DELETED },
      extraDecl: '$include_deleted: Boolean = false, ', extraArgs: 'includeDeleted: $include_deleted, ', extraFields: DELETED_AT_SNAKE,
    },
    one: 'group',
    create: { field: 'createGroup', input: 'CreateGroupInput', body: GroupCreate, example: { name: 'Engineering', description: 'Product engineers' } },
    update: { field: 'updateGroup', input: 'UpdateGroupInput', body: GroupUpdate, example: { description: 'Product and platform engineers' } },
    remove: { field: 'deleteGroup' },
  }),
  {
    operationId: 'addGroupMember', method: 'post', path: `${TENANT_BASE}/groups/{group_id}/members`, tag: 'Groups', style: 'api', status: 201,
    summary: 'Add Group Member', description: 'Idempotent. The data is the member user.',
    body: MemberCreate,
    example: { user_id: EXAMPLE_IDS.user_id },
    location: `${TENANT_BASE}/groups/{group_id}/members/{id}`,
    document: `mutation($tenantId: ID!, $groupId: ID!, $userId: ID!) { addGroupMember(tenantId: $tenantId, groupId: $groupId, userId: $userId) { ${USER} } }`,
    variables: { ...tenantPath, groupId: fromPath('group_id'), userId: fromBody('user_id') },
    reply: single((d) => snake(d.addGroupMember)),
    response: ref('User'),
  },
  {
    operationId: 'listGroupMembers', method: 'get', path: `${TENANT_BASE}/groups/{group_id}/members`, tag: 'Groups', style: 'api', status: 200,
    summary: 'List Group Members',
    queryParams: pageParams,
    document: `query($tenantId: ID!, $groupId: ID!, $page: Int, $perPage: Int) {
      groupMembers(tenantId: $tenantId, groupId: $groupId, page: $page, perPage: $perPage) { items { ${USER} } ${PAGINATION} } }`,
    variables: { ...tenantPath, groupId: fromPath('group_id'), ...pageVariables },
    reply: list((d) => snakePage(d.groupMembers)),
    response: listOf('User'),
  },
  {
    operationId: 'removeGroupMember', method: 'delete', path: `${TENANT_BASE}/groups/{group_id}/members/{user_id}`, tag: 'Groups', style: 'api', status: 204,
    summary: 'Remove Group Member', description: '404 when the user is not a member.',
    document: `mutation($tenantId: ID!, $groupId: ID!, $userId: ID!) { removeGroupMember(tenantId: $tenantId, groupId: $groupId, userId: $userId) }`,
    variables: { ...tenantPath, groupId: fromPath('group_id'), userId: fromPath('user_id') },
    reply: empty,
  },

  // ---------------- restores of soft-deleted rows, and secrets in a grace period ----------------
  {
    operationId: 'restoreApplication', method: 'post', path: '/api/v1/admin/applications/{application_id}/restore', tag: 'Applications', style: 'api', status: 200,
    summary: 'Restore Application', description: 'Brings back a soft-deleted application with the assignments its delete kept. 409 when its partner or tenant is deleted. A live application is returned as it is.',
    document: `mutation($id: ID!) { restoreApplication(id: $id) { ${APPLICATION} deletedAt ${SECRETS} } }`,
    variables: { id: fromPath('application_id') },
    reply: single((d) => snake(d.restoreApplication)),
    response: ref('Application'),
  },
  {
    operationId: 'revokeApplicationSecret', method: 'post', path: '/api/v1/admin/applications/{application_id}/secrets/{secret_id}/revoke', tag: 'Applications', style: 'api',
    status: 200, summary: 'Revoke Application Secret', description: 'Ends a previous secret\'s grace period now. The current secret cannot be revoked (409): rotate instead. The data is the application with its working secrets.',
    document: `mutation($id: ID!, $applicationId: ID!) { revokeSecret(id: $id, applicationId: $applicationId) { ${APPLICATION} ${SECRETS} } }`,
    variables: { id: fromPath('secret_id'), applicationId: fromPath('application_id') },
    reply: single((d) => snake(d.revokeSecret)),
    response: ref('Application'),
  },
  {
    operationId: 'restoreTenant', method: 'post', path: '/api/v1/admin/tenants/{tenant_id}/restore', tag: 'Tenants', style: 'api', status: 200,
    summary: 'Restore Tenant', description: 'Brings back a soft-deleted tenant and everything under it. 409 when its partner is deleted or its slug is taken. A live tenant is returned as it is.',
    document: `mutation($id: ID!) { restoreTenant(id: $id) { ${TENANT} deletedAt } }`,
    variables: { id: fromPath('tenant_id') },
    reply: single((d) => snake(d.restoreTenant)),
    response: ref('Tenant'),
  },
  {
    operationId: 'restoreUser', method: 'post', path: `${TENANT_BASE}/users/{user_id}/restore`, tag: 'Users', style: 'api', status: 200,
    summary: 'Restore User', description: 'Brings back a soft-deleted user with its memberships and assignments. 409 when its email is taken; 404 in a deleted tenant. A live user is returned as it is.',
    document: `mutation($tenantId: ID!, $id: ID!) { restoreUser(tenantId: $tenantId, id: $id) { ${USER} deletedAt } }`,
    variables: { ...tenantPath, id: fromPath('user_id') },
    reply: single((d) => snake(d.restoreUser)),
    response: ref('User'),
  },
  {
    operationId: 'restoreGroup', method: 'post', path: `${TENANT_BASE}/groups/{group_id}/restore`, tag: 'Groups', style: 'api', status: 200,
    summary: 'Restore Group', description: 'Brings back a soft-deleted group with its members and assignments. 409 when its name is taken; 404 in a deleted tenant. A live group is returned as it is.',
    document: `mutation($tenantId: ID!, $id: ID!) { restoreGroup(tenantId: $tenantId, id: $id) { ${GROUP} deletedAt } }`,
    variables: { ...tenantPath, id: fromPath('group_id') },
    reply: single((d) => snake(d.restoreGroup)),
    response: ref('Group'),
  },
  ...accessRoutes(),
];

interface CrudSpec {
  tag: string;
  collection: string;
  item: string;
  idParam: string;
  entity: string;
  fields: string;
  /** Variables every route of the resource takes from its path (the tenant), and how they appear in documents. */
  scopeVariables: Record<string, VariableSource>;
  scopeArgs: string;
  scopeDecl: string;
  list: { field: string; search: string; extraQuery?: Record<string, Record<string, unknown>>; extraDecl?: string; extraArgs?: string; extraFields?: string };
  one: string;
  create: { field: string; input: string; body: Record<string, unknown>; example: Record<string, unknown> };
  update: { field: string; input: string; body: Record<string, unknown>; example: Record<string, unknown> };
  remove: { field: string; description?: string };
}

/** The five routes of a plain resource (list, create, get, PATCH, DELETE), in the style of the seed documents. */
function crud(spec: CrudSpec): RestRoute[] {
  const { tag, entity, fields, scopeVariables, scopeArgs, scopeDecl } = spec;
  const plural = `${entity}s`;
  const id = { id: fromPath(spec.idParam) };
  const extraVariables = Object.fromEntries(Object.keys(spec.list.extraQuery ?? {}).map((name) => [name, fromQuery(name)]));
  return [
    {
      operationId: `list${plural}`, method: 'get', path: spec.collection, tag, style: 'api', status: 200, summary: `List ${plural}`,
      queryParams: { ...pageParams, search: { ...searchParam, description: spec.list.search }, ...(spec.list.extraQuery ?? {}) },
      document: `query(${scopeDecl}${spec.list.extraDecl ?? ''}$page: Int, $perPage: Int, $search: String) {
        ${spec.list.field}(${scopeArgs}${spec.list.extraArgs ?? ''}page: $page, perPage: $perPage, search: $search) { items { ${fields} ${spec.list.extraFields ?? ''} } ${PAGINATION} } }`,
      variables: { ...scopeVariables, ...pageVariables, search: fromQuery('search'), ...extraVariables },
      reply: list((d) => snakePage(d[spec.list.field])),
      response: listOf(entity),
    },
    {
      operationId: `create${entity}`, method: 'post', path: spec.collection, tag, style: 'api', status: 201, summary: `Create ${entity}`,
      body: spec.create.body, example: spec.create.example, location: spec.item.replace(`{${spec.idParam}}`, '{id}'),
      document: `mutation(${scopeDecl}$input: ${spec.create.input}!) { ${spec.create.field}(${scopeArgs}input: $input) { ${fields} } }`,
      variables: { ...scopeVariables, input: bodyInput() },
      reply: single((d) => snake(d[spec.create.field])),
      response: ref(entity),
    },
    {
      operationId: `get${entity}`, method: 'get', path: spec.item, tag, style: 'api', status: 200, summary: `Get ${entity}`,
      document: `query(${scopeDecl}$id: ID!) { ${spec.one}(${scopeArgs}id: $id) { ${fields} } }`,
      variables: { ...scopeVariables, ...id },
      reply: single((d) => snake(d[spec.one])),
      response: ref(entity),
    },
    {
      operationId: `update${entity}`, method: 'patch', path: spec.item, tag, style: 'api', status: 200, summary: `Update ${entity}`,
      body: spec.update.body, example: spec.update.example,
      document: `mutation(${scopeDecl}$id: ID!, $input: ${spec.update.input}!) { ${spec.update.field}(${scopeArgs}id: $id, input: $input) { ${fields} } }`,
      variables: { ...scopeVariables, ...id, input: bodyInput() },
      reply: single((d) => snake(d[spec.update.field])),
      response: ref(entity),
    },
    {
      operationId: `delete${entity}`, method: 'delete', path: spec.item, tag, style: 'api', status: 204, summary: `Delete ${entity}`,
      description: spec.remove.description ?? 'Soft delete.',
      document: `mutation(${scopeDecl}$id: ID!) { ${spec.remove.field}(${scopeArgs}id: $id) }`,
      variables: { ...scopeVariables, ...id },
      reply: empty,
    },
  ];
}
