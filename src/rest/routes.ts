import { camelToSnakeKey, toSnakeKeys } from './case.js';
import { bodyInput, empty, fromBody, fromPath, fromQuery, managementTenant, operation, queryNames, route, type Reply, type RestRoute, type VariableSource } from './route.js';
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
import { exampleBody } from '../common/fields.js';
import { ApplicationOwnFields, RedirectUriFields } from '../modules/application/application.fields.js';
import { GroupFields } from '../modules/group/group.fields.js';
import { PartnerFields } from '../modules/partner/partner.fields.js';
import { TenantFields, TenantObjectFields } from '../modules/tenant/tenant.fields.js';
import { UserFields } from '../modules/user/user.fields.js';
import {
  ACCESS_CHANGE,
  APP_ASSIGNMENT,
  APPLICATION,
  ASSIGNEES,
  ASSIGNMENT,
  EFFECTIVE_USER_PAGE,
  EXPLANATION,
  GROUP,
  GROUP_FIELDS,
  PAGINATION,
  PARTNER_FIELDS,
  PREVIEW,
  ROTATED_SECRET,
  SECRETS,
  TENANT,
  USER,
  USER_FIELDS,
  USER_APPLICATIONS,
  selectionOf,
  type AccessChangeRow,
  type AccessExplanation,
  type AccessPreview,
  type AppAssignmentRow,
  type ApplicationAssignees,
  type ApplicationRow,
  type AssignmentRow,
  type EffectiveUserPage,
  type FieldList,
  type GroupRow,
  type ListPage,
  type RotatedSecret,
  type SecretRow,
  type TenantRow,
  type UserApplications,
  type UserRow,
  type WithDeletedAt,
} from './selections.js';

/** Deleted rows show `deleted_at` only where they can appear: lists with include_deleted, and restores. */
const DELETED_AT = 'deletedAt @include(if: $includeDeleted)';
const INCLUDE_DELETED = { type: 'boolean', default: false, description: 'Also soft-deleted rows (super and partner admins; tenant admins 403).' };

const snake = (value: unknown): unknown => toSnakeKeys(value);
const snakePage = (page: ListPage<unknown>) => ({ items: toSnakeKeys<unknown[]>(page.items), pagination: page.pagination });

const cursorParam = {
  type: 'string',
  maxLength: 2000,
  description: 'Sync clients: `next_cursor` of the previous page (empty to start). With it, `pagination` also holds `next_cursor` (null on the last page).',
};
/** Effective users: `pagination` as for every list, plus `next_cursor` when the request used `cursor` (even empty, to start). */
function effectiveUsersPage(page: EffectiveUserPage, query: Record<string, unknown>) {
  // Items come in REST's keys already (selections.ts, EFFECTIVE_USER_PAGE).
  const snaked = { items: page.items, pagination: page.pagination };
  if (!('cursor' in query)) return snaked;
  // `changes_cursor`: where to poll the change feed from (keep the one of the first page).
  return { ...snaked, pagination: { ...page.pagination, nextCursor: page.hasNextPage ? page.endCursor : null, changesCursor: page.changesCursor ?? null } };
}

const ACCESS_CHANGE_KINDS = ['UNASSIGN_FROM_USER', 'UNASSIGN_FROM_GROUP', 'REMOVE_GROUP_MEMBER', 'DELETE_GROUP', 'DELETE_USER', 'DISABLE_USER'];

/** Access insight (issue 11): explanation, what-if preview, change feed. */
const accessRoutes = (): RestRoute[] => [
  route({
    operationId: 'getApplicationEffectiveUserChanges',
    method: 'get',
    path: '/api/v1/admin/applications/{application_id}/effective-users/changes',
    tag: 'Applications',
    style: 'api',
    status: 200,
    summary: 'Get Application Effective User Changes',
    description:
      'Users who gained (`granted`) or lost (`revoked`) the application, oldest first, after `cursor` (a `changes_cursor` of an effective-users read, or the `next_cursor` of the previous call). ' +
      '`next_cursor` is never null: poll with it. A cursor older than the retention → 410: read all effective users again.',
    queryParams: {
      cursor: { type: 'string', maxLength: 2000, description: 'Feed position (empty: from the oldest change kept).' },
      limit: { ...{ type: 'integer', minimum: 1, maximum: 100 }, default: 100, description: 'Changes per call, 1..100.' },
    },
    document: operation<{ accessChanges: { items: AccessChangeRow[]; endCursor: string; hasNextPage: boolean } }>(
      `query($applicationId: ID!, $after: String, $first: Int) { accessChanges(applicationId: $applicationId, after: $after, first: $first) { items { ${ACCESS_CHANGE} } endCursor hasNextPage } }`,
    ),
    variables: { applicationId: fromPath('application_id'), after: fromQuery('cursor'), first: fromQuery('limit') },
    reply: {
      kind: 'list',
      pick: (d) => ({
        items: toSnakeKeys<unknown[]>(d.accessChanges.items),
        pagination: { perPage: d.accessChanges.items.length, nextCursor: d.accessChanges.endCursor, hasMore: d.accessChanges.hasNextPage },
      }),
    },
    paginationSchema: 'ChangeFeedPagination',
    response: { type: 'array', items: { type: 'object' } },
  }),
  route({
    operationId: 'getUserApplicationAccess',
    method: 'get',
    path: `${TENANT_BASE}/users/{user_id}/applications/{application_id}/access`,
    tag: 'App Assignments',
    style: 'api',
    status: 200,
    summary: 'Explain User Application Access',
    description:
      'Whether the user holds the application, directly or through which groups, and what blocks an existing path (user disabled or deleted, tenant deleted, group deleted, out of scope, application deleted).',
    document: operation<{ accessExplanation: AccessExplanation }>(
      `query($tenantId: ID!, $userId: ID!, $applicationId: ID!) { accessExplanation(tenantId: $tenantId, userId: $userId, applicationId: $applicationId) { ${EXPLANATION} } }`,
    ),
    variables: { ...tenantPath, userId: fromPath('user_id'), applicationId: fromPath('application_id') },
    reply: { kind: 'single', pick: (d) => snake(d.accessExplanation) },
    response: { type: 'object' },
  }),
  route({
    operationId: 'previewAccessChange',
    method: 'post',
    path: '/api/v1/admin/access-preview',
    tag: 'Applications',
    style: 'api',
    status: 200,
    summary: 'Preview Access Change',
    description: 'Who would lose which applications if the change were made. Nothing is written; needs the rights of the change itself.',
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'tenant_id'],
      properties: { kind: { type: 'string', enum: ACCESS_CHANGE_KINDS }, tenant_id: uuid, application_id: uuid, user_id: uuid, group_id: uuid },
    },
    example: { kind: 'DISABLE_USER', tenant_id: EXAMPLE_IDS.tenant_id, user_id: EXAMPLE_IDS.user_id },
    document: operation<{ previewAccessChange: AccessPreview }>(`query($change: AccessChangeInput!) { previewAccessChange(change: $change) { ${PREVIEW} } }`),
    variables: { change: bodyInput() },
    reply: { kind: 'single', pick: (d) => snake(d.previewAccessChange) },
    response: { type: 'object' },
  }),
];

/** A management app as management-apps-api.txt names it: `app_name` / `app_description`. */
function managementApp(application: ApplicationRow, clientSecret?: string) {
  const { id, name, description, applicationType: _type, scope: _scope, partnerId: _partner, redirectUris: _uris, ...rest } = application;
  return snake({ id, appName: name, appDescription: description, ...rest, ...(clientSecret ? { clientSecret } : {}) });
}

const pageVariables: Record<string, VariableSource> = { page: fromQuery('page'), perPage: fromQuery('per_page') };
const tenantPath = { tenantId: fromPath('tenant_id') };
const listOf = (schema: string) => ({ type: 'array', items: ref(schema) });

/**
 * What the two effective-users routes (admin, tenant) share: the field with its page selection, the
 * `cursor` query parameter feeding `after` and `withCursor`, and the envelope.
 */
const EFFECTIVE_USERS_FIELD = `effectiveUsers(applicationId: $applicationId, tenantId: $tenantId, page: $page, perPage: $perPage, after: $after) { ${EFFECTIVE_USER_PAGE} }`;
const effectiveUsersVariables: Record<string, VariableSource> = { ...pageVariables, after: fromQuery('cursor'), withCursor: queryNames('cursor') };
const effectiveUsersReply: Reply<{ effectiveUsers: EffectiveUserPage }> = { kind: 'list', pick: (d, query) => effectiveUsersPage(d.effectiveUsers, query) };

/** A variable of a generated document and the field argument it feeds: `$variable: type` → `argument: $variable`. */
interface Argument {
  variable: string;
  /** The variable's GraphQL type, with its default if any: `ID!`, `Boolean = false`. */
  type: string;
  /** The field argument, when it is not named as the variable. */
  argument?: string;
}

/** `query($a: ID!, $b: Int) { field(a: $a, b: $b) { selection } }`: the arguments in their order, in both places. */
function operationText(kind: 'query' | 'mutation', field: string, args: Argument[], selection?: string): string {
  const declarations = args.map((arg) => `$${arg.variable}: ${arg.type}`).join(', ');
  const fieldArguments = args.map((arg) => `${arg.argument ?? arg.variable}: $${arg.variable}`).join(', ');
  return `${kind}(${declarations}) { ${field}(${fieldArguments})${selection === undefined ? '' : ` { ${selection} }`} }`;
}

const tenantScope: Argument = { variable: 'tenantId', type: 'ID!' };
/** The generic list documents name their variables after their query parameters. */
const includeDeletedArgument: Argument = { variable: 'include_deleted', type: 'Boolean = false', argument: 'includeDeleted' };
const pageArguments: Argument[] = [
  { variable: 'page', type: 'Int' },
  { variable: 'perPage', type: 'Int' },
  { variable: 'search', type: 'String' },
];
const idArgument: Argument = { variable: 'id', type: 'ID!' };

const ADMIN_APPS = '/api/v1/admin/applications/';
const ADMIN_TENANTS = '/api/v1/admin/tenants/';
const ADMIN_PARTNERS = '/api/v1/admin/partners/';
const TENANT_BASE = '/api/v1/tenants/{tenant_id}';
const MANAGEMENT = '/v1/management/applications';

export const routes: RestRoute[] = [
  // ---------------- admin-applications-api.txt (7) ----------------
  route({
    operationId: 'listApplications',
    method: 'get',
    path: ADMIN_APPS,
    tag: 'Applications',
    style: 'api',
    status: 200,
    summary: 'List Applications',
    description: "Applications the caller may see (GLOBAL, PARTNER and TENANT by the caller's level).",
    queryParams: {
      ...pageParams,
      tenant_id: { ...uuid, description: 'TENANT applications of this tenant' },
      partner_id: { ...uuid, description: 'Filter by partner (all tenants in partner)' },
      scope: { type: 'string', enum: APPLICATION_SCOPES, description: 'Filter by scope: GLOBAL, PARTNER, TENANT' },
      application_type: { type: 'string', enum: APPLICATION_TYPES },
      search: { ...searchParam, description: 'Case-insensitive match on name, description or client_id' },
      include_deleted: INCLUDE_DELETED,
    },
    document: operation<{
      applications: ListPage<WithDeletedAt<ApplicationRow>>;
    }>(`query($page: Int, $perPage: Int, $tenantId: ID, $partnerId: ID, $scope: ApplicationScope, $applicationType: ApplicationType, $search: String, $includeDeleted: Boolean = false) {
      applications(page: $page, perPage: $perPage, tenantId: $tenantId, partnerId: $partnerId, scope: $scope, applicationType: $applicationType, search: $search, includeDeleted: $includeDeleted) { items { ${APPLICATION} ${DELETED_AT} } ${PAGINATION} } }`),
    variables: {
      ...pageVariables,
      tenantId: fromQuery('tenant_id'),
      partnerId: fromQuery('partner_id'),
      scope: fromQuery('scope'),
      applicationType: fromQuery('application_type'),
      search: fromQuery('search'),
      includeDeleted: fromQuery('include_deleted'),
    },
    reply: { kind: 'list', pick: (d) => snakePage(d.applications) },
    response: listOf('Application'),
  }),
  route({
    operationId: 'createApplication',
    method: 'post',
    path: ADMIN_APPS,
    tag: 'Applications',
    style: 'api',
    status: 201,
    summary: 'Create Application',
    description: 'Creates an OAuth client. The response carries `client_secret`, shown only here.',
    body: ApplicationCreate,
    // No scope (nor management fields): it is inferred from the caller's level, so the example works for every admin.
    example: exampleBody({ ...ApplicationOwnFields, ...RedirectUriFields }),
    location: '/api/v1/admin/applications/{id}',
    returnsSecret: true,
    document: operation<{ createApplication: { clientSecret: string; application: ApplicationRow } }>(
      `mutation($input: CreateApplicationInput!) { createApplication(input: $input) { clientSecret application { ${APPLICATION} } } }`,
    ),
    variables: { input: bodyInput() },
    reply: { kind: 'single', pick: (d) => snake({ ...d.createApplication.application, clientSecret: d.createApplication.clientSecret }) },
    response: ref('ApplicationWithSecret'),
  }),
  route({
    operationId: 'deleteApplication',
    method: 'delete',
    path: '/api/v1/admin/applications/{application_id}',
    tag: 'Applications',
    style: 'api',
    status: 204,
    summary: 'Delete Application',
    description: 'Soft delete; assignments are kept for a restore.',
    document: operation<{ deleteApplication: boolean }>('mutation($id: ID!) { deleteApplication(id: $id) }'),
    variables: { id: fromPath('application_id') },
    reply: empty,
  }),
  route({
    operationId: 'getApplication',
    method: 'get',
    path: '/api/v1/admin/applications/{application_id}',
    tag: 'Applications',
    style: 'api',
    status: 200,
    summary: 'Get Application',
    document: operation<{ application: ApplicationRow & { secrets: SecretRow[] } }>(`query($id: ID!) { application(id: $id) { ${APPLICATION} ${SECRETS} } }`),
    variables: { id: fromPath('application_id') },
    reply: { kind: 'single', pick: (d) => snake(d.application) },
    response: ref('Application'),
  }),
  route({
    operationId: 'updateApplication',
    method: 'patch',
    path: '/api/v1/admin/applications/{application_id}',
    tag: 'Applications',
    style: 'api',
    status: 200,
    summary: 'Update Application',
    body: ApplicationUpdate,
    example: { description: 'Help desk for every tenant', redirect_uris: ['https://support.example.com/callback', 'https://support.example.com/silent-renew'] },
    document: operation<{ updateApplication: ApplicationRow }>(
      `mutation($id: ID!, $input: UpdateApplicationInput!) { updateApplication(id: $id, input: $input) { ${APPLICATION} } }`,
    ),
    variables: { id: fromPath('application_id'), input: bodyInput() },
    reply: { kind: 'single', pick: (d) => snake(d.updateApplication) },
    response: ref('Application'),
  }),
  route({
    operationId: 'getApplicationEffectiveUsers',
    method: 'get',
    path: '/api/v1/admin/applications/{application_id}/effective-users',
    tag: 'Applications',
    style: 'api',
    status: 200,
    summary: 'Get Application Effective Users',
    description: 'Users who hold the application directly or through a group, across the tenants the caller may see. An application token may read its own.',
    queryParams: { ...pageParams, tenant_id: { ...uuid, description: 'Filter by specific tenant' }, cursor: cursorParam },
    document: operation<{ effectiveUsers: EffectiveUserPage }>(`query($applicationId: ID!, $tenantId: ID, $page: Int, $perPage: Int, $after: String, $withCursor: Boolean!) {
      ${EFFECTIVE_USERS_FIELD} }`),
    variables: { applicationId: fromPath('application_id'), tenantId: fromQuery('tenant_id'), ...effectiveUsersVariables },
    reply: effectiveUsersReply,
    response: listOf('EffectiveUser'),
  }),
  route({
    operationId: 'rotateApplicationSecret',
    method: 'post',
    path: '/api/v1/admin/applications/{application_id}/rotate-secret',
    tag: 'Applications',
    style: 'api',
    status: 200,
    summary: 'Rotate Application Secret',
    description: 'Issues a new client secret; the old one stops working at once, or after `grace_period_seconds` (tokens obtained with it during the grace period end with it).',
    returnsSecret: true,
    body: RotateSecretRequest,
    bodyOptional: true,
    example: { grace_period_seconds: 3600 },
    document: operation<{ rotateApplicationSecret: RotatedSecret }>(
      `mutation($id: ID!, $grace: Int) { rotateApplicationSecret(id: $id, gracePeriodSeconds: $grace) { ${ROTATED_SECRET} } }`,
    ),
    variables: { id: fromPath('application_id'), grace: fromBody('grace_period_seconds') },
    // Without a grace period the answer is what it always was; with one it also names the new secret and when the previous one ends.
    reply: {
      kind: 'single',
      pick: (d) => {
        const { secretId, previousSecretExpiresAt, ...rotated } = d.rotateApplicationSecret;
        return snake(previousSecretExpiresAt ? { ...rotated, secretId, previousSecretExpiresAt } : rotated);
      },
    },
    response: ref('RotatedSecret'),
  }),

  // ---------------- admin-tenants-api.txt (5) ----------------
  route({
    operationId: 'listTenants',
    method: 'get',
    path: ADMIN_TENANTS,
    tag: 'Tenants',
    style: 'api',
    status: 200,
    summary: 'List Tenants',
    queryParams: {
      ...pageParams,
      search: { ...searchParam, description: 'Case-insensitive match on name or slug' },
      status: { type: 'string', enum: TENANT_STATUSES },
      partner_id: uuid,
      include_deleted: INCLUDE_DELETED,
    },
    document: operation<{
      tenants: ListPage<WithDeletedAt<TenantRow>>;
    }>(`query($page: Int, $perPage: Int, $search: String, $status: TenantStatus, $partnerId: ID, $includeDeleted: Boolean = false) {
      tenants(page: $page, perPage: $perPage, search: $search, status: $status, partnerId: $partnerId, includeDeleted: $includeDeleted) { items { ${TENANT} ${DELETED_AT} } ${PAGINATION} } }`),
    variables: { ...pageVariables, search: fromQuery('search'), status: fromQuery('status'), partnerId: fromQuery('partner_id'), includeDeleted: fromQuery('include_deleted') },
    reply: { kind: 'list', pick: (d) => snakePage(d.tenants) },
    response: listOf('Tenant'),
  }),
  route({
    operationId: 'createTenant',
    method: 'post',
    path: ADMIN_TENANTS,
    tag: 'Tenants',
    style: 'api',
    status: 201,
    summary: 'Create Tenant',
    body: TenantCreate,
    example: exampleBody({ ...TenantFields, ...TenantObjectFields }),
    location: '/api/v1/admin/tenants/{id}',
    document: operation<{ createTenant: TenantRow }>(`mutation($input: CreateTenantInput!) { createTenant(input: $input) { ${TENANT} } }`),
    variables: { input: bodyInput() },
    reply: { kind: 'single', pick: (d) => snake(d.createTenant) },
    response: ref('Tenant'),
  }),
  route({
    operationId: 'deleteTenant',
    method: 'delete',
    path: '/api/v1/admin/tenants/{tenant_id}',
    tag: 'Tenants',
    style: 'api',
    status: 204,
    summary: 'Delete Tenant',
    description: 'Soft delete: hides the tenant and everything under it.',
    document: operation<{ deleteTenant: boolean }>('mutation($id: ID!) { deleteTenant(id: $id) }'),
    variables: { id: fromPath('tenant_id') },
    reply: empty,
  }),
  route({
    operationId: 'getTenant',
    method: 'get',
    path: '/api/v1/admin/tenants/{tenant_id}',
    tag: 'Tenants',
    style: 'api',
    status: 200,
    summary: 'Get Tenant',
    document: operation<{ tenant: TenantRow }>(`query($id: ID!) { tenant(id: $id) { ${TENANT} } }`),
    variables: { id: fromPath('tenant_id') },
    reply: { kind: 'single', pick: (d) => snake(d.tenant) },
    response: ref('Tenant'),
  }),
  route({
    operationId: 'updateTenant',
    method: 'patch',
    path: '/api/v1/admin/tenants/{tenant_id}',
    tag: 'Tenants',
    style: 'api',
    status: 200,
    summary: 'Update Tenant',
    description: 'Settings: only the keys named are replaced; unknown keys or wrong types → 422.',
    body: TenantUpdate,
    example: { settings: { session_timeout: 30, password_policy: { min_length: 12, require_digit: true } } },
    document: operation<{ updateTenant: TenantRow }>(`mutation($id: ID!, $input: UpdateTenantInput!) { updateTenant(id: $id, input: $input) { ${TENANT} } }`),
    variables: { id: fromPath('tenant_id'), input: bodyInput() },
    reply: { kind: 'single', pick: (d) => snake(d.updateTenant) },
    response: ref('Tenant'),
  }),

  // ---------------- app-assignments-api.md (9) ----------------
  route({
    operationId: 'getApplicationAssignees',
    method: 'get',
    path: `${TENANT_BASE}/applications/{application_id}/assignees`,
    tag: 'App Assignments',
    style: 'api',
    status: 200,
    summary: 'Get Application Assignees',
    description: 'Users and groups of the tenant the application is assigned to directly.',
    document: operation<{ applicationAssignees: ApplicationAssignees }>(`query($tenantId: ID!, $applicationId: ID!) {
      applicationAssignees(tenantId: $tenantId, applicationId: $applicationId) { ${ASSIGNEES} } }`),
    variables: { ...tenantPath, applicationId: fromPath('application_id') },
    reply: { kind: 'single', pick: (d) => snake(d.applicationAssignees) },
    response: ref('ApplicationAssigneesResponse'),
  }),
  route({
    operationId: 'getTenantApplicationEffectiveUsers',
    method: 'get',
    path: `${TENANT_BASE}/applications/{application_id}/effective-users`,
    tag: 'App Assignments',
    style: 'api',
    status: 200,
    summary: 'Get Application Effective Users',
    description: 'Users of the tenant who hold the application directly or through a group.',
    queryParams: { ...pageParams, cursor: cursorParam },
    document: operation<{ effectiveUsers: EffectiveUserPage }>(`query($tenantId: ID!, $applicationId: ID!, $page: Int, $perPage: Int, $after: String, $withCursor: Boolean!) {
      ${EFFECTIVE_USERS_FIELD} }`),
    variables: { ...tenantPath, applicationId: fromPath('application_id'), ...effectiveUsersVariables },
    reply: effectiveUsersReply,
    response: listOf('EffectiveUser'),
  }),
  route({
    operationId: 'getGroupApplications',
    method: 'get',
    path: `${TENANT_BASE}/groups/{group_id}/applications`,
    tag: 'App Assignments',
    style: 'api',
    status: 200,
    summary: 'Get Group Applications',
    document: operation<{ groupApplications: AppAssignmentRow[] }>(
      `query($tenantId: ID!, $groupId: ID!) { groupApplications(tenantId: $tenantId, groupId: $groupId) { ${APP_ASSIGNMENT} } }`,
    ),
    variables: { ...tenantPath, groupId: fromPath('group_id') },
    reply: { kind: 'single', pick: (d) => snake(d.groupApplications) },
    response: listOf('AppAssignment'),
  }),
  route({
    operationId: 'assignApplicationToGroup',
    method: 'post',
    path: `${TENANT_BASE}/groups/{group_id}/applications`,
    tag: 'App Assignments',
    style: 'api',
    status: 201,
    summary: 'Assign Application To Group',
    description: 'Idempotent: assigning twice keeps one assignment.',
    body: AssignmentCreate,
    example: { application_id: EXAMPLE_IDS.application_id },
    location: `${TENANT_BASE}/groups/{group_id}/applications/{application_id}`,
    document: operation<{ assignApplicationToGroup: AssignmentRow }>(`mutation($tenantId: ID!, $groupId: ID!, $applicationId: ID!) {
      assignApplicationToGroup(tenantId: $tenantId, groupId: $groupId, applicationId: $applicationId) { ${ASSIGNMENT} } }`),
    variables: { ...tenantPath, groupId: fromPath('group_id'), applicationId: fromBody('application_id') },
    reply: { kind: 'single', pick: (d) => snake(d.assignApplicationToGroup) },
    response: ref('Assignment'),
  }),
  route({
    operationId: 'unassignApplicationFromGroup',
    method: 'delete',
    path: `${TENANT_BASE}/groups/{group_id}/applications/{application_id}`,
    tag: 'App Assignments',
    style: 'api',
    status: 204,
    summary: 'Unassign Application From Group',
    description: '404 when the application is not assigned to the group.',
    document: operation<{ unassignApplicationFromGroup: boolean }>(`mutation($tenantId: ID!, $groupId: ID!, $applicationId: ID!) {
      unassignApplicationFromGroup(tenantId: $tenantId, groupId: $groupId, applicationId: $applicationId) }`),
    variables: { ...tenantPath, groupId: fromPath('group_id'), applicationId: fromPath('application_id') },
    reply: empty,
  }),
  route({
    operationId: 'getUserApplications',
    method: 'get',
    path: `${TENANT_BASE}/users/{user_id}/applications`,
    tag: 'App Assignments',
    style: 'api',
    status: 200,
    summary: 'Get User Applications',
    description: 'One entry per application, direct or through groups.',
    queryParams: { include_group_assignments: { type: 'boolean', default: true, description: 'Include apps assigned via groups' } },
    document: operation<{ userApplications: UserApplications }>(`query($tenantId: ID!, $userId: ID!, $includeGroupAssignments: Boolean!) {
      userApplications(tenantId: $tenantId, userId: $userId, includeGroupAssignments: $includeGroupAssignments) { ${USER_APPLICATIONS} } }`),
    variables: { ...tenantPath, userId: fromPath('user_id'), includeGroupAssignments: fromQuery('include_group_assignments') },
    reply: { kind: 'single', pick: (d) => snake(d.userApplications) },
    response: ref('UserAssignedAppsResponse'),
  }),
  route({
    operationId: 'assignApplicationToUser',
    method: 'post',
    path: `${TENANT_BASE}/users/{user_id}/applications`,
    tag: 'App Assignments',
    style: 'api',
    status: 201,
    summary: 'Assign Application To User',
    description: 'Idempotent: assigning twice keeps one assignment.',
    body: AssignmentCreate,
    example: { application_id: EXAMPLE_IDS.application_id },
    location: `${TENANT_BASE}/users/{user_id}/applications/{application_id}`,
    document: operation<{ assignApplicationToUser: AssignmentRow }>(`mutation($tenantId: ID!, $userId: ID!, $applicationId: ID!) {
      assignApplicationToUser(tenantId: $tenantId, userId: $userId, applicationId: $applicationId) { ${ASSIGNMENT} } }`),
    variables: { ...tenantPath, userId: fromPath('user_id'), applicationId: fromBody('application_id') },
    reply: { kind: 'single', pick: (d) => snake(d.assignApplicationToUser) },
    response: ref('Assignment'),
  }),
  route({
    operationId: 'bulkAssignApplicationsToUser',
    method: 'post',
    path: `${TENANT_BASE}/users/{user_id}/applications/bulk`,
    tag: 'App Assignments',
    style: 'api',
    status: 201,
    summary: 'Bulk Assign Applications To User',
    description: 'All or nothing: one application that is not available to the tenant → 404 and nothing is assigned. `data.assigned` lists one assignment per application.',
    body: BulkAssignmentCreate,
    example: { application_ids: [EXAMPLE_IDS.application_id] },
    // Several rows: the collection that lists them.
    location: `${TENANT_BASE}/users/{user_id}/applications`,
    document: operation<{ assignApplicationsToUser: AssignmentRow[] }>(`mutation($tenantId: ID!, $userId: ID!, $applicationIds: [ID!]!) {
      assignApplicationsToUser(tenantId: $tenantId, userId: $userId, applicationIds: $applicationIds) { ${ASSIGNMENT} } }`),
    variables: { ...tenantPath, userId: fromPath('user_id'), applicationIds: fromBody('application_ids') },
    reply: { kind: 'single', pick: (d, params) => ({ user_id: params.user_id, assigned: snake(d.assignApplicationsToUser) }) },
    response: ref('BulkAssignment'),
  }),
  route({
    operationId: 'unassignApplicationFromUser',
    method: 'delete',
    path: `${TENANT_BASE}/users/{user_id}/applications/{application_id}`,
    tag: 'App Assignments',
    style: 'api',
    status: 204,
    summary: 'Unassign Application From User',
    description: '404 when the application is not assigned to the user directly.',
    document: operation<{ unassignApplicationFromUser: boolean }>(`mutation($tenantId: ID!, $userId: ID!, $applicationId: ID!) {
      unassignApplicationFromUser(tenantId: $tenantId, userId: $userId, applicationId: $applicationId) }`),
    variables: { ...tenantPath, userId: fromPath('user_id'), applicationId: fromPath('application_id') },
    reply: empty,
  }),

  // ---------------- management-apps-api.txt (4) ----------------
  route({
    operationId: 'createManagementApp',
    method: 'post',
    path: MANAGEMENT,
    tag: 'Management Apps',
    style: 'management',
    status: 201,
    summary: 'Create management app',
    description: "The tenant is the caller's; super and partner admins name it in `x-tenant-id`. The result carries `client_secret`, shown only here.",
    body: ManagementAppCreate,
    example: {
      app_name: 'Provisioning Bot',
      app_description: 'Creates users from the HR system',
      subdomain: 'provisioning',
      pkce: 'enforcePkceAlongsideClientCredentials',
      first_client_authentication_protocol: 'oidc',
    },
    location: `${MANAGEMENT}/{id}`,
    returnsSecret: true,
    document: operation<{ createManagementApplication: { clientSecret: string; application: ApplicationRow } }>(`mutation($tenantId: ID!, $input: ManagementApplicationInput!) {
      createManagementApplication(tenantId: $tenantId, input: $input) { clientSecret application { ${APPLICATION} } } }`),
    variables: { tenantId: managementTenant, input: bodyInput({ app_name: 'name', app_description: 'description' }) },
    reply: { kind: 'single', pick: (d) => managementApp(d.createManagementApplication.application, d.createManagementApplication.clientSecret) },
    response: ref('ManagementApp'),
  }),
  route({
    operationId: 'listManagementApps',
    method: 'get',
    path: MANAGEMENT,
    tag: 'Management Apps',
    style: 'management',
    status: 200,
    summary: 'Get management apps',
    document: operation<{ managementApplications: ApplicationRow[] }>(`query($tenantId: ID!) { managementApplications(tenantId: $tenantId) { ${APPLICATION} } }`),
    variables: { tenantId: managementTenant },
    reply: { kind: 'single', pick: (d) => d.managementApplications.map((a) => managementApp(a)) },
    response: listOf('ManagementApp'),
  }),
  route({
    operationId: 'updateManagementApp',
    method: 'put',
    path: `${MANAGEMENT}/{app_id}`,
    tag: 'Management Apps',
    style: 'management',
    status: 200,
    summary: 'Update management app',
    description: 'Fields given replace the current ones; object fields are replaced whole.',
    body: ManagementAppUpdate,
    example: { app_name: 'Provisioning Bot', invite_member_email_expiration_minutes: 1440 },
    document: operation<{ updateManagementApplication: ApplicationRow }>(`mutation($tenantId: ID!, $id: ID!, $input: ManagementApplicationInput!) {
      updateManagementApplication(tenantId: $tenantId, id: $id, input: $input) { ${APPLICATION} } }`),
    variables: { tenantId: managementTenant, id: fromPath('app_id'), input: bodyInput({ app_name: 'name', app_description: 'description' }) },
    reply: { kind: 'single', pick: (d) => managementApp(d.updateManagementApplication) },
    response: ref('ManagementApp'),
  }),
  route({
    operationId: 'deleteManagementApp',
    method: 'delete',
    path: `${MANAGEMENT}/{app_id}`,
    tag: 'Management Apps',
    style: 'management',
    status: 204,
    summary: 'Delete management app',
    description: 'Deletes the management application and its assignments.',
    document: operation<{ deleteManagementApplication: boolean }>('mutation($tenantId: ID!, $id: ID!) { deleteManagementApplication(tenantId: $tenantId, id: $id) }'),
    variables: { tenantId: managementTenant, id: fromPath('app_id') },
    reply: empty,
  }),

  // ---------------- SPEC §4 additions: partners, users, groups, members ----------------
  ...crud({
    tag: 'Partners',
    collection: ADMIN_PARTNERS,
    item: '/api/v1/admin/partners/{partner_id}',
    idParam: 'partner_id',
    entity: 'Partner',
    fields: PARTNER_FIELDS,
    scope: [],
    list: { field: 'partners', search: 'Case-insensitive match on the name' },
    one: 'partner',
    create: { field: 'createPartner', input: 'CreatePartnerInput', body: PartnerCreate, example: exampleBody(PartnerFields) },
    update: { field: 'updatePartner', input: 'UpdatePartnerInput', body: PartnerUpdate, example: { name: 'Initrode Resellers' } },
    remove: { field: 'deletePartner', description: 'Soft delete; 409 while the partner has live tenants.' },
  }),
  ...crud({
    tag: 'Users',
    collection: `${TENANT_BASE}/users`,
    item: `${TENANT_BASE}/users/{user_id}`,
    idParam: 'user_id',
    entity: 'User',
    fields: USER_FIELDS,
    scope: [tenantScope],
    list: {
      field: 'users',
      search: 'Case-insensitive match on email or name',
      extraQuery: { status: { type: 'string', enum: USER_STATUSES }, include_deleted: INCLUDE_DELETED },
      extraArguments: [{ variable: 'status', type: 'UserStatus' }, includeDeletedArgument],
    },
    one: 'user',
    create: { field: 'createUser', input: 'CreateUserInput', body: UserCreate, example: exampleBody(UserFields) },
    update: { field: 'updateUser', input: 'UpdateUserInput', body: UserUpdate, example: { name: 'Jane Q. Doe', status: 'disabled' } },
    remove: { field: 'deleteUser' },
  }),
  ...crud({
    tag: 'Groups',
    collection: `${TENANT_BASE}/groups`,
    item: `${TENANT_BASE}/groups/{group_id}`,
    idParam: 'group_id',
    entity: 'Group',
    fields: GROUP_FIELDS,
    scope: [tenantScope],
    list: {
      field: 'groups',
      search: 'Case-insensitive match on name or description',
      extraQuery: { include_deleted: INCLUDE_DELETED },
      extraArguments: [includeDeletedArgument],
    },
    one: 'group',
    create: { field: 'createGroup', input: 'CreateGroupInput', body: GroupCreate, example: exampleBody(GroupFields) },
    update: { field: 'updateGroup', input: 'UpdateGroupInput', body: GroupUpdate, example: { description: 'Product and platform engineers' } },
    remove: { field: 'deleteGroup' },
  }),
  route({
    operationId: 'addGroupMember',
    method: 'post',
    path: `${TENANT_BASE}/groups/{group_id}/members`,
    tag: 'Groups',
    style: 'api',
    status: 201,
    summary: 'Add Group Member',
    description: 'Idempotent. The data is the member user.',
    body: MemberCreate,
    example: { user_id: EXAMPLE_IDS.user_id },
    location: `${TENANT_BASE}/groups/{group_id}/members/{id}`,
    document: operation<{ addGroupMember: UserRow }>(
      `mutation($tenantId: ID!, $groupId: ID!, $userId: ID!) { addGroupMember(tenantId: $tenantId, groupId: $groupId, userId: $userId) { ${USER} } }`,
    ),
    variables: { ...tenantPath, groupId: fromPath('group_id'), userId: fromBody('user_id') },
    reply: { kind: 'single', pick: (d) => snake(d.addGroupMember) },
    response: ref('User'),
  }),
  route({
    operationId: 'listGroupMembers',
    method: 'get',
    path: `${TENANT_BASE}/groups/{group_id}/members`,
    tag: 'Groups',
    style: 'api',
    status: 200,
    summary: 'List Group Members',
    queryParams: pageParams,
    document: operation<{ groupMembers: ListPage<UserRow> }>(`query($tenantId: ID!, $groupId: ID!, $page: Int, $perPage: Int) {
      groupMembers(tenantId: $tenantId, groupId: $groupId, page: $page, perPage: $perPage) { items { ${USER} } ${PAGINATION} } }`),
    variables: { ...tenantPath, groupId: fromPath('group_id'), ...pageVariables },
    reply: { kind: 'list', pick: (d) => snakePage(d.groupMembers) },
    response: listOf('User'),
  }),
  route({
    operationId: 'removeGroupMember',
    method: 'delete',
    path: `${TENANT_BASE}/groups/{group_id}/members/{user_id}`,
    tag: 'Groups',
    style: 'api',
    status: 204,
    summary: 'Remove Group Member',
    description: '404 when the user is not a member.',
    document: operation<{ removeGroupMember: boolean }>(
      `mutation($tenantId: ID!, $groupId: ID!, $userId: ID!) { removeGroupMember(tenantId: $tenantId, groupId: $groupId, userId: $userId) }`,
    ),
    variables: { ...tenantPath, groupId: fromPath('group_id'), userId: fromPath('user_id') },
    reply: empty,
  }),

  // ---------------- restores of soft-deleted rows, and secrets in a grace period ----------------
  route({
    operationId: 'restoreApplication',
    method: 'post',
    path: '/api/v1/admin/applications/{application_id}/restore',
    tag: 'Applications',
    style: 'api',
    status: 200,
    summary: 'Restore Application',
    description: 'Brings back a soft-deleted application with the assignments its delete kept. 409 when its partner or tenant is deleted. A live application is returned as it is.',
    document: operation<{ restoreApplication: WithDeletedAt<ApplicationRow> & { secrets: SecretRow[] } }>(
      `mutation($id: ID!) { restoreApplication(id: $id) { ${APPLICATION} deletedAt ${SECRETS} } }`,
    ),
    variables: { id: fromPath('application_id') },
    reply: { kind: 'single', pick: (d) => snake(d.restoreApplication) },
    response: ref('Application'),
  }),
  route({
    operationId: 'revokeApplicationSecret',
    method: 'post',
    path: '/api/v1/admin/applications/{application_id}/secrets/{secret_id}/revoke',
    tag: 'Applications',
    style: 'api',
    status: 200,
    summary: 'Revoke Application Secret',
    description: "Ends a previous secret's grace period now. The current secret cannot be revoked (409): rotate instead. The data is the application with its working secrets.",
    document: operation<{ revokeSecret: ApplicationRow & { secrets: SecretRow[] } }>(
      `mutation($id: ID!, $applicationId: ID!) { revokeSecret(id: $id, applicationId: $applicationId) { ${APPLICATION} ${SECRETS} } }`,
    ),
    variables: { id: fromPath('secret_id'), applicationId: fromPath('application_id') },
    reply: { kind: 'single', pick: (d) => snake(d.revokeSecret) },
    response: ref('Application'),
  }),
  route({
    operationId: 'restoreTenant',
    method: 'post',
    path: '/api/v1/admin/tenants/{tenant_id}/restore',
    tag: 'Tenants',
    style: 'api',
    status: 200,
    summary: 'Restore Tenant',
    description: 'Brings back a soft-deleted tenant and everything under it. 409 when its partner is deleted or its slug is taken. A live tenant is returned as it is.',
    document: operation<{ restoreTenant: WithDeletedAt<TenantRow> }>(`mutation($id: ID!) { restoreTenant(id: $id) { ${TENANT} deletedAt } }`),
    variables: { id: fromPath('tenant_id') },
    reply: { kind: 'single', pick: (d) => snake(d.restoreTenant) },
    response: ref('Tenant'),
  }),
  route({
    operationId: 'restoreUser',
    method: 'post',
    path: `${TENANT_BASE}/users/{user_id}/restore`,
    tag: 'Users',
    style: 'api',
    status: 200,
    summary: 'Restore User',
    description: 'Brings back a soft-deleted user with its memberships and assignments. 409 when its email is taken; 404 in a deleted tenant. A live user is returned as it is.',
    document: operation<{ restoreUser: WithDeletedAt<UserRow> }>(`mutation($tenantId: ID!, $id: ID!) { restoreUser(tenantId: $tenantId, id: $id) { ${USER} deletedAt } }`),
    variables: { ...tenantPath, id: fromPath('user_id') },
    reply: { kind: 'single', pick: (d) => snake(d.restoreUser) },
    response: ref('User'),
  }),
  route({
    operationId: 'restoreGroup',
    method: 'post',
    path: `${TENANT_BASE}/groups/{group_id}/restore`,
    tag: 'Groups',
    style: 'api',
    status: 200,
    summary: 'Restore Group',
    description: 'Brings back a soft-deleted group with its members and assignments. 409 when its name is taken; 404 in a deleted tenant. A live group is returned as it is.',
    document: operation<{ restoreGroup: WithDeletedAt<GroupRow> }>(`mutation($tenantId: ID!, $id: ID!) { restoreGroup(tenantId: $tenantId, id: $id) { ${GROUP} deletedAt } }`),
    variables: { ...tenantPath, id: fromPath('group_id') },
    reply: { kind: 'single', pick: (d) => snake(d.restoreGroup) },
    response: ref('Group'),
  }),
  ...accessRoutes(),
];

interface CrudSpec<TRow> {
  tag: string;
  collection: string;
  item: string;
  idParam: string;
  entity: string;
  fields: FieldList<TRow>;
  /** Arguments every route of the resource takes from its path (the tenant), first in each document. */
  scope: Argument[];
  /** `extraArguments`: variables named after the `extraQuery` parameters that feed them; a list that has `include_deleted` also selects `deletedAt`. */
  list: { field: string; search: string; extraQuery?: Record<string, Record<string, unknown>>; extraArguments?: Argument[] };
  one: string;
  create: { field: string; input: string; body: Record<string, unknown>; example: Record<string, unknown> };
  update: { field: string; input: string; body: Record<string, unknown>; example: Record<string, unknown> };
  remove: { field: string; description?: string };
}

/** The five routes of a plain resource (list, create, get, PATCH, DELETE), in the style of the seed documents. */
function crud<TRow>(spec: CrudSpec<TRow>): RestRoute[] {
  const { tag, entity, scope } = spec;
  const fields = selectionOf(spec.fields);
  const plural = `${entity}s`;
  const id = { id: fromPath(spec.idParam) };
  const scopeVariables = Object.fromEntries(scope.map((arg) => [arg.variable, fromPath(camelToSnakeKey(arg.variable))]));
  const extraArguments = spec.list.extraArguments ?? [];
  const extraVariables = Object.fromEntries(extraArguments.map((arg) => [arg.variable, fromQuery(arg.variable)]));
  const listFields = extraArguments.includes(includeDeletedArgument) ? `${fields} deletedAt @include(if: $${includeDeletedArgument.variable})` : fields;
  return [
    route({
      operationId: `list${plural}`,
      method: 'get',
      path: spec.collection,
      tag,
      style: 'api',
      status: 200,
      summary: `List ${plural}`,
      queryParams: { ...pageParams, search: { ...searchParam, description: spec.list.search }, ...(spec.list.extraQuery ?? {}) },
      document: operation<Record<string, ListPage<WithDeletedAt<TRow>>>>(
        operationText('query', spec.list.field, [...scope, ...extraArguments, ...pageArguments], `items { ${listFields} } ${PAGINATION}`),
      ),
      variables: { ...scopeVariables, ...pageVariables, search: fromQuery('search'), ...extraVariables },
      reply: { kind: 'list', pick: (d) => snakePage(d[spec.list.field]) },
      response: listOf(entity),
    }),
    route({
      operationId: `create${entity}`,
      method: 'post',
      path: spec.collection,
      tag,
      style: 'api',
      status: 201,
      summary: `Create ${entity}`,
      body: spec.create.body,
      example: spec.create.example,
      location: spec.item.replace(`{${spec.idParam}}`, '{id}'),
      document: operation<Record<string, TRow>>(operationText('mutation', spec.create.field, [...scope, { variable: 'input', type: `${spec.create.input}!` }], fields)),
      variables: { ...scopeVariables, input: bodyInput() },
      reply: { kind: 'single', pick: (d) => snake(d[spec.create.field]) },
      response: ref(entity),
    }),
    route({
      operationId: `get${entity}`,
      method: 'get',
      path: spec.item,
      tag,
      style: 'api',
      status: 200,
      summary: `Get ${entity}`,
      document: operation<Record<string, TRow>>(operationText('query', spec.one, [...scope, idArgument], fields)),
      variables: { ...scopeVariables, ...id },
      reply: { kind: 'single', pick: (d) => snake(d[spec.one]) },
      response: ref(entity),
    }),
    route({
      operationId: `update${entity}`,
      method: 'patch',
      path: spec.item,
      tag,
      style: 'api',
      status: 200,
      summary: `Update ${entity}`,
      body: spec.update.body,
      example: spec.update.example,
      document: operation<Record<string, TRow>>(operationText('mutation', spec.update.field, [...scope, idArgument, { variable: 'input', type: `${spec.update.input}!` }], fields)),
      variables: { ...scopeVariables, ...id, input: bodyInput() },
      reply: { kind: 'single', pick: (d) => snake(d[spec.update.field]) },
      response: ref(entity),
    }),
    route({
      operationId: `delete${entity}`,
      method: 'delete',
      path: spec.item,
      tag,
      style: 'api',
      status: 204,
      summary: `Delete ${entity}`,
      description: spec.remove.description ?? 'Soft delete.',
      document: operation<Record<string, boolean>>(operationText('mutation', spec.remove.field, [...scope, idArgument])),
      variables: { ...scopeVariables, ...id },
      reply: empty,
    }),
  ];
}
