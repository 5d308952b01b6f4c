/**
 * JSON Schemas of the REST inputs and outputs. The same objects validate requests (ajv) and
 * describe them in the OpenAPI 3.1 document, so the docs cannot drift from what is enforced.
 */
import { nullableSchema as nullable, requestProperties, requestSchema as field, requiredOnCreate, responseProperties, type JsonSchema } from '../common/fields.js';
import { DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE } from '../common/page-limits.js';
import { MAX_SEARCH_LENGTH } from '../common/search.js';
import { ApplicationFields, ApplicationOwnFields, ManagementFields, RedirectUriFields } from '../modules/application/application.fields.js';
import { GroupFields } from '../modules/group/group.fields.js';
import { PartnerFields } from '../modules/partner/partner.fields.js';
import { TenantFields, TenantObjectFields, TenantSettingsFields } from '../modules/tenant/tenant.fields.js';
import { UserFields } from '../modules/user/user.fields.js';

export type { JsonSchema };
const object = (properties: Record<string, JsonSchema>, required: string[] = [], extra: JsonSchema = {}): JsonSchema => ({
  type: 'object',
  properties,
  ...(required.length ? { required } : {}),
  additionalProperties: false,
  ...extra,
});
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

export const uuid: JsonSchema = { type: 'string', format: 'uuid' };
export const text = (maxLength: number, minLength = 0): JsonSchema => ({ type: 'string', ...(minLength ? { minLength } : {}), maxLength });
const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
const bool: JsonSchema = { type: 'boolean' };
const int = (minimum?: number, maximum?: number): JsonSchema => ({
  type: 'integer',
  ...(minimum !== undefined ? { minimum } : {}),
  ...(maximum !== undefined ? { maximum } : {}),
});

// The enums' values, from the field declarations (one TypeScript enum each).
export const APPLICATION_TYPES = [...ApplicationFields.applicationType.values];
export const APPLICATION_SCOPES = [...ApplicationFields.scope.values];
export const PKCE_MODES = [...ApplicationFields.pkce.values];
export const CLIENT_AUTH_PROTOCOLS = [...ApplicationFields.firstClientAuthenticationProtocol.values];
export const TENANT_STATUSES = [...TenantFields.status.values];
export const USER_STATUSES = [...UserFields.status.values];
export const MFA_METHODS = [...TenantSettingsFields.mfaMethods.items.values];

// ---- parameters (path and query) ----

export const pageParams: Record<string, JsonSchema> = {
  page: { ...int(1, MAX_PAGE), default: 1, description: 'Page number, from 1.' },
  per_page: { ...int(1, MAX_PER_PAGE), default: DEFAULT_PER_PAGE, description: `Items per page, 1..${MAX_PER_PAGE}.` },
};
export const searchParam: JsonSchema = { ...text(MAX_SEARCH_LENGTH), description: 'Case-insensitive substring match.' };

// ---- request bodies ----

/** Management-app fields of an Application (management-apps-api.txt), shared by the admin API bodies. */
const managementFields = requestProperties(ManagementFields);

// The fields both bodies share ('update' leaves out scope, create only). Scope after the management fields
// and the owner ids (other rows, not declared data) last: where REST has always listed them.
const applicationWritable: Record<string, JsonSchema> = {
  ...requestProperties(ApplicationOwnFields, 'update'),
  ...requestProperties(RedirectUriFields),
  ...managementFields,
};

export const ApplicationCreate = object(
  {
    ...applicationWritable,
    scope: field(ApplicationOwnFields.scope),
    partner_id: nullable({ ...uuid, description: 'PARTNER scope only.' }),
    tenant_id: nullable({ ...uuid, description: 'TENANT scope only.' }),
  },
  requiredOnCreate(ApplicationOwnFields),
);
export const ApplicationUpdate = object(applicationWritable, [], { description: 'Fields to change; scope, partner_id and tenant_id are fixed at creation.' });

// The owning partner is the id of another row, not declared data: written here, between the columns and the settings.
export const TenantCreate = object(
  { ...requestProperties(TenantFields, 'create'), partner_id: nullable(uuid), ...requestProperties(TenantObjectFields) },
  requiredOnCreate(TenantFields),
);
export const TenantUpdate = object({
  ...requestProperties(TenantFields, 'update'),
  partner_id: nullable({ ...uuid, description: 'Super admins only; null detaches the tenant from its partner.' }),
  ...requestProperties(TenantObjectFields),
});

const partnerWritable = requestProperties(PartnerFields);
export const PartnerCreate = object(partnerWritable, requiredOnCreate(PartnerFields));
export const PartnerUpdate = object(partnerWritable);
const userWritable = requestProperties(UserFields);
export const UserCreate = object(userWritable, requiredOnCreate(UserFields));
export const UserUpdate = object(userWritable);
const groupWritable = requestProperties(GroupFields);
export const GroupCreate = object(groupWritable, requiredOnCreate(GroupFields));
export const GroupUpdate = object(groupWritable);
export const AssignmentCreate = object({ application_id: uuid }, ['application_id']);
export const BulkAssignmentCreate = object({ application_ids: { type: 'array', items: uuid, minItems: 1, maxItems: 100 } }, ['application_ids']);
export const RotateSecretRequest = object({
  grace_period_seconds: { ...int(0, 604800), default: 0, description: 'The previous secret keeps working this long (0..604800 s); 0: it stops at once.' },
});
export const MemberCreate = object({ user_id: uuid }, ['user_id']);

const managementAppFields: Record<string, JsonSchema> = {
  app_name: { ...field(ApplicationFields.name), description: 'Name of the application' },
  app_description: { ...field(ApplicationFields.description), description: 'Short description of the application' },
  ...managementFields,
  invite_member_email_expiration_minutes: {
    ...field(ApplicationFields.inviteMemberEmailExpirationMinutes),
    default: ApplicationFields.inviteMemberEmailExpirationMinutes.default,
    description: 'Member invite email link expiration in minutes',
  },
};
export const ManagementAppCreate = object(managementAppFields, ['app_name']);
export const ManagementAppUpdate = object(managementAppFields, [], { description: 'Fields given replace the current ones; object fields are replaced whole.' });

// ---- response bodies (OpenAPI components) ----

const managementOutput = {
  login_uri: nullable({ type: 'string' }),
  subdomain: nullable({ type: 'string' }),
  custom_domain: nullable({ type: 'string' }),
  invite_member_email_expiration_minutes: nullable({ type: 'integer' }),
  pkce: nullable({ type: 'string', enum: PKCE_MODES }),
  first_client_authentication_protocol: nullable({ type: 'string', enum: CLIENT_AUTH_PROTOCOLS }),
  first_client: nullable({ type: 'object' }),
};
const timestamps = { created_at: dateTime, updated_at: dateTime };
/** Every property is always sent (nullable ones as null): typed clients get non-optional fields. */
/** `deleted_at` of the soft-deletable rows (application, tenant, user, group); sent only where it applies. */
const softDeleted = { deleted_at: { ...nullable(dateTime), description: 'Sent by restore and by lists with include_deleted.' } };

const sent = (schema: JsonSchema, optional: string[] = []): JsonSchema => ({
  ...schema,
  required: Object.keys(schema.properties as object).filter((key) => !optional.includes(key)),
});

export const components: Record<string, JsonSchema> = {
  ChangeFeedPagination: {
    type: 'object',
    properties: {
      per_page: { type: 'integer', description: 'Changes in this response.' },
      next_cursor: { type: 'string', description: 'Never null: pass as `cursor` to read on, or to poll later.' },
      has_more: { type: 'boolean', description: 'More changes follow at once.' },
    },
    required: ['per_page', 'next_cursor', 'has_more'],
  },
  MetaResponse: { type: 'object', properties: { request_id: { type: 'string' }, timestamp: dateTime }, required: ['request_id', 'timestamp'] },
  PaginationMeta: {
    type: 'object',
    properties: {
      page: { type: 'integer' },
      per_page: { type: 'integer' },
      total_items: { type: 'integer' },
      total_pages: { type: 'integer' },
      next_cursor: { type: ['string', 'null'], description: 'Effective users read with `cursor` only: pass as `cursor` for the next page; null on the last.' },
    },
    required: ['page', 'per_page', 'total_items', 'total_pages'],
  },
  ValidationError: {
    type: 'object',
    properties: { loc: { type: 'array', items: { type: ['string', 'integer'] } }, msg: { type: 'string' }, type: { type: 'string' } },
    required: ['loc', 'msg', 'type'],
  },
  HTTPValidationError: { type: 'object', properties: { detail: { type: 'array', items: ref('ValidationError') } } },
  ErrorDetail: { type: 'object', properties: { detail: { type: 'string' } }, required: ['detail'] },
  ManagementError: { type: 'object', properties: { message: { type: 'string' }, error_code: { type: 'integer' } }, required: ['message', 'error_code'] },
  Application: sent(
    {
      type: 'object',
      properties: {
        id: uuid,
        ...responseProperties(ApplicationOwnFields),
        partner_id: nullable(uuid),
        tenant_id: nullable(uuid),
        ...responseProperties(RedirectUriFields),
        client_id: { type: 'string' },
        secret_rotated_at: nullable(dateTime),
        ...managementOutput,
        ...timestamps,
        ...softDeleted,
        secrets: { type: 'array', items: ref('ApplicationSecret'), description: 'Working client secrets; sent by the application read, revoke and restore.' },
      },
    },
    ['deleted_at', 'secrets'],
  ),
  ApplicationSecret: sent({
    type: 'object',
    description: 'A client secret (never the secret itself): the current one has no expires_at.',
    properties: { id: uuid, created_at: dateTime, expires_at: nullable(dateTime), last_used_at: nullable(dateTime) },
  }),
  ApplicationWithSecret: {
    allOf: [ref('Application'), { type: 'object', properties: { client_secret: { type: 'string', description: 'Shown only here and by rotate-secret.' } } }],
  },
  RotatedSecret: sent(
    {
      type: 'object',
      properties: {
        id: uuid,
        client_id: { type: 'string' },
        client_secret: { type: 'string' },
        rotated_at: dateTime,
        secret_id: uuid,
        previous_secret_expires_at: { ...dateTime, description: 'When the previous secret stops working; sent (with secret_id) only for a rotation with a grace period.' },
      },
    },
    ['secret_id', 'previous_secret_expires_at'],
  ),

  ManagementApp: sent(
    {
      type: 'object',
      properties: {
        id: uuid,
        app_name: { type: 'string' },
        app_description: { type: 'string' },
        tenant_id: uuid,
        client_id: { type: 'string' },
        client_secret: { type: 'string', description: 'Only in the response of create.' },
        ...managementOutput,
        ...timestamps,
      },
    },
    ['client_secret'],
  ),
  TenantSettings: sent({ type: 'object', properties: responseProperties(TenantSettingsFields) }),
  Tenant: sent(
    {
      type: 'object',
      properties: {
        id: uuid,
        ...responseProperties(TenantFields),
        partner_id: nullable(uuid),
        settings: ref('TenantSettings'),
        ...timestamps,
        ...softDeleted,
      },
    },
    ['deleted_at'],
  ),
  Partner: sent({ type: 'object', properties: { id: uuid, ...responseProperties(PartnerFields), ...timestamps } }),
  User: sent(
    {
      type: 'object',
      properties: {
        id: uuid,
        tenant_id: uuid,
        ...responseProperties(UserFields),
        ...timestamps,
        ...softDeleted,
      },
    },
    ['deleted_at'],
  ),
  Group: sent(
    {
      type: 'object',
      properties: {
        id: uuid,
        tenant_id: uuid,
        ...responseProperties(GroupFields),
        ...timestamps,
        ...softDeleted,
      },
    },
    ['deleted_at'],
  ),
  Assignment: sent({
    type: 'object',
    properties: {
      id: uuid,
      tenant_id: uuid,
      application_id: uuid,
      user_id: nullable(uuid),
      group_id: nullable(uuid),
      assignment_type: { type: 'string', enum: ['direct', 'group'] },
      assigned_at: dateTime,
    },
  }),
  BulkAssignment: { type: 'object', properties: { user_id: uuid, assigned: { type: 'array', items: ref('Assignment') } }, required: ['user_id', 'assigned'] },
  AppAssignment: {
    type: 'object',
    properties: {
      application_id: { type: 'string' },
      application_name: { type: 'string' },
      application_client_id: { type: 'string' },
      assigned_at: dateTime,
      assignment_type: { type: 'string', enum: ['direct', 'group'] },
      assigned_via: nullable({ type: 'string' }),
    },
    required: ['application_id', 'application_name', 'application_client_id', 'assigned_at', 'assignment_type'],
  },
  ApplicationAssigneesResponse: {
    type: 'object',
    properties: {
      application_id: { type: 'string' },
      users: { type: 'array', items: { type: 'string' } },
      groups: { type: 'array', items: { type: 'string' } },
      total_users: { type: 'integer' },
      total_groups: { type: 'integer' },
    },
    required: ['application_id', 'users', 'groups', 'total_users', 'total_groups'],
  },
  UserAssignedAppsResponse: {
    type: 'object',
    properties: { user_id: { type: 'string' }, applications: { type: 'array', items: ref('AppAssignment') }, total_count: { type: 'integer' } },
    required: ['user_id', 'applications', 'total_count'],
  },
  EffectiveUser: sent({
    type: 'object',
    properties: {
      id: uuid,
      email: { type: 'string' },
      name: { type: 'string' },
      tenant_id: uuid,
      tenant_name: { type: 'string' },
      direct: bool,
      groups: { type: 'array', items: { type: 'object', properties: { id: uuid, name: { type: 'string' } } } },
    },
  }),
};

export { ref };
