/**
 * What a REST representation holds, in GraphQL terms: one row type per selection and the field list
 * that selects it. The field list is checked against the row type (a field missing or unknown does
 * not compile), so a route's `pick` is typed by exactly what its document selects.
 */

import { selectionFields, type FieldValue, type FieldValues } from '../common/fields.js';
import { camelToSnakeKey } from './case.js';
import { ApplicationOwnFields, ManagementFields, RedirectUriFields } from '../modules/application/application.fields.js';
import { GroupFields } from '../modules/group/group.fields.js';
import { PartnerFields } from '../modules/partner/partner.fields.js';
import { TenantFields } from '../modules/tenant/tenant.fields.js';
import { UserFields } from '../modules/user/user.fields.js';

/** `DateTime` fields as executeOperation hands them back: resolved, not serialized (src/rest/case.ts writes them as ISO strings). */
export type Timestamp = Date;
/** A `JSONObject` field: the client's own JSON, passed through as it is. */
export type JsonObject = { [key: string]: unknown };

/** The fields to select of `T`: every one, with a nested field list for object fields (`true` for scalars, lists of scalars and JSON). */
export type FieldList<T> = { [K in keyof T]-?: FieldListOf<NonNullable<T[K]>> };
type FieldListOf<V> = V extends Timestamp
  ? true
  : V extends readonly (infer E)[]
    ? FieldListOf<NonNullable<E>>
    : V extends object
      ? string extends keyof V
        ? true
        : FieldList<V>
      : true;

/** A field list as a GraphQL selection set's contents, in the list's order: `id name settings { mfaRequired }`. */
export function selectionOf<T>(fields: FieldList<T>, keyOf: (name: string) => string = (name) => name): string {
  return Object.entries(fields as Record<string, true | FieldList<unknown>>)
    .map(([name, nested]) => {
      // An alias where the answer's key is not the field's name (`tenant_id: tenantId`).
      const key = keyOf(name);
      const field = key === name ? name : `${key}: ${name}`;
      return nested === true ? field : `${field} { ${selectionOf(nested, keyOf)} }`;
    })
    .join(' ');
}

/** An application as REST shows it: its declared fields (application.fields.ts) among its ids, secret rotation and timestamps. */
export type ApplicationRow = { id: string } & Required<FieldValues<typeof ApplicationOwnFields>> & {
    partnerId: string | null;
    tenantId: string | null;
  } & Required<FieldValues<typeof RedirectUriFields>> & {
    clientId: string;
    secretRotatedAt: Timestamp | null;
  } & { [K in keyof typeof ManagementFields]: FieldValue<(typeof ManagementFields)[K]> | null } & { createdAt: Timestamp; updatedAt: Timestamp };
export const APPLICATION = selectionOf<ApplicationRow>({
  id: true,
  ...selectionFields(ApplicationOwnFields),
  partnerId: true,
  tenantId: true,
  ...selectionFields(RedirectUriFields),
  clientId: true,
  secretRotatedAt: true,
  ...selectionFields(ManagementFields),
  createdAt: true,
  updatedAt: true,
});

export interface SecretRow {
  id: string;
  createdAt: Timestamp;
  expiresAt: Timestamp | null;
  lastUsedAt: Timestamp | null;
}
export const SECRETS = `secrets { ${selectionOf<SecretRow>({ id: true, createdAt: true, expiresAt: true, lastUsedAt: true })} }`;

export interface PasswordPolicy {
  minLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireDigit: boolean;
  requireSymbol: boolean;
  maxAgeDays: number;
}
/** A tenant as REST shows it: its declared column fields (tenant.fields.ts) after its id, then its partner, timestamps and settings. */
export type TenantRow = { id: string } & Required<FieldValues<typeof TenantFields>> & {
    partnerId: string | null;
    createdAt: Timestamp;
    updatedAt: Timestamp;
    settings: { mfaRequired: boolean; mfaMethods: string[]; sessionTimeout: number; passwordPolicy: PasswordPolicy };
  };
export const TENANT = selectionOf<TenantRow>({
  id: true,
  ...selectionFields(TenantFields),
  partnerId: true,
  createdAt: true,
  updatedAt: true,
  // Not the declaration's order (sessionTimeout before passwordPolicy): REST has always sent the settings in this one.
  settings: {
    mfaRequired: true,
    mfaMethods: true,
    sessionTimeout: true,
    passwordPolicy: { minLength: true, requireUppercase: true, requireLowercase: true, requireDigit: true, requireSymbol: true, maxAgeDays: true },
  },
});

/** A partner as REST shows it: its declared fields (partner.fields.ts) between its id and timestamps. */
export type PartnerRow = { id: string } & Required<FieldValues<typeof PartnerFields>> & { createdAt: Timestamp; updatedAt: Timestamp };
export const PARTNER_FIELDS: FieldList<PartnerRow> = { id: true, ...selectionFields(PartnerFields), createdAt: true, updatedAt: true };

/** A user as REST shows it: its declared fields (user.fields.ts) between its ids and timestamps. */
export type UserRow = { id: string; tenantId: string } & Required<FieldValues<typeof UserFields>> & { createdAt: Timestamp; updatedAt: Timestamp };
export const USER_FIELDS: FieldList<UserRow> = { id: true, tenantId: true, ...selectionFields(UserFields), createdAt: true, updatedAt: true };
export const USER = selectionOf(USER_FIELDS);

/** A group as REST shows it: its declared fields (group.fields.ts) between its ids and timestamps. */
export type GroupRow = { id: string; tenantId: string } & Required<FieldValues<typeof GroupFields>> & { createdAt: Timestamp; updatedAt: Timestamp };
export const GROUP_FIELDS: FieldList<GroupRow> = { id: true, tenantId: true, ...selectionFields(GroupFields), createdAt: true, updatedAt: true };
export const GROUP = selectionOf(GROUP_FIELDS);

export interface AssignmentRow {
  id: string;
  tenantId: string;
  applicationId: string;
  userId: string | null;
  groupId: string | null;
  assignmentType: string;
  assignedAt: Timestamp;
}
export const ASSIGNMENT = selectionOf<AssignmentRow>({ id: true, tenantId: true, applicationId: true, userId: true, groupId: true, assignmentType: true, assignedAt: true });

export interface AppAssignmentRow {
  applicationId: string;
  applicationName: string;
  applicationClientId: string;
  assignedAt: Timestamp;
  assignmentType: string;
  assignedVia: string | null;
}
export const APP_ASSIGNMENT = selectionOf<AppAssignmentRow>({
  applicationId: true,
  applicationName: true,
  applicationClientId: true,
  assignedAt: true,
  assignmentType: true,
  assignedVia: true,
});

export interface EffectiveUserRow {
  id: string;
  email: string;
  name: string;
  tenantId: string;
  tenantName: string;
  direct: boolean;
  groups: { id: string; name: string }[];
}
const EFFECTIVE_USER_FIELDS: FieldList<EffectiveUserRow> = {
  id: true,
  email: true,
  name: true,
  tenantId: true,
  tenantName: true,
  direct: true,
  groups: { id: true, name: true },
};
export const EFFECTIVE_USER = selectionOf<EffectiveUserRow>(EFFECTIVE_USER_FIELDS);

export interface Pagination {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
}
export const PAGINATION = `pagination { ${selectionOf<Pagination>({ page: true, perPage: true, totalItems: true, totalPages: true })} }`;
/** A page of a list field: `items { … } pagination { … }`. */
export interface ListPage<TRow> {
  items: TRow[];
  pagination: Pagination;
}

/** Deleted rows show `deleted_at` only where they can appear: lists with include_deleted, and restores. */
export type WithDeletedAt<TRow> = TRow & { deletedAt?: Timestamp | null };

/** `tenantId` → `tenant_id`, as a type (`camelToSnakeKey` of src/rest/case.ts). */
type SnakeKey<K extends string> = K extends `${infer Head}${infer Tail}` ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeKey<Tail>}` : K;
/** A flat row (scalars and lists of them, or of flat rows) under REST's snake_case keys. */
export type SnakeKeys<T> = { [K in keyof T as K extends string ? SnakeKey<K> : K]: T[K] extends readonly (infer E)[] ? (E extends object ? SnakeKeys<E>[] : T[K]) : T[K] };

export interface EffectiveUserPage {
  /** Selected under REST's keys (`selectionOf` with `camelToSnakeKey`): the answer needs no copy to rename them. */
  items: SnakeKeys<EffectiveUserRow>[];
  pagination: Pagination;
  endCursor: string | null;
  hasNextPage: boolean;
  changesCursor: string | null;
}
// `changesCursor` costs a statement, `endCursor` a signature, and only envelopes of requests naming `cursor` show them.
export const EFFECTIVE_USER_PAGE = `items { ${selectionOf(EFFECTIVE_USER_FIELDS, camelToSnakeKey)} } ${PAGINATION} endCursor @include(if: $withCursor) hasNextPage changesCursor @include(if: $withCursor)`;

export interface AccessChangeRow {
  applicationId: string;
  userId: string;
  tenantId: string;
  email: string | null;
  change: string;
  causeAction: string | null;
  causeTargetType: string | null;
  causeTargetId: string | null;
  actorType: string | null;
  actorId: string | null;
  at: Timestamp;
}
export const ACCESS_CHANGE = selectionOf<AccessChangeRow>({
  applicationId: true,
  userId: true,
  tenantId: true,
  email: true,
  change: true,
  causeAction: true,
  causeTargetType: true,
  causeTargetId: true,
  actorType: true,
  actorId: true,
  at: true,
});

export interface AccessExplanation {
  applicationId: string;
  userId: string;
  tenantId: string;
  hasAccess: boolean;
  direct: { assignedAt: Timestamp } | null;
  viaGroups: { groupId: string; groupName: string; assignedAt: Timestamp }[];
  blockedBy: { reason: string; groupId: string | null }[];
}
export const EXPLANATION = selectionOf<AccessExplanation>({
  applicationId: true,
  userId: true,
  tenantId: true,
  hasAccess: true,
  direct: { assignedAt: true },
  viaGroups: { groupId: true, groupName: true, assignedAt: true },
  blockedBy: { reason: true, groupId: true },
});

export interface AccessPreview {
  losingCount: number;
  applications: { applicationId: string; applicationName: string; losingCount: number; keepingCount: number; losing: EffectiveUserRow[] }[];
}
export const PREVIEW = `losingCount applications { applicationId applicationName losingCount keepingCount losing { ${EFFECTIVE_USER} } }`;

export interface RotatedSecret {
  id: string;
  clientId: string;
  clientSecret: string;
  rotatedAt: Timestamp;
  secretId: string;
  previousSecretExpiresAt: Timestamp | null;
}
export const ROTATED_SECRET = selectionOf<RotatedSecret>({ id: true, clientId: true, clientSecret: true, rotatedAt: true, secretId: true, previousSecretExpiresAt: true });

export interface ApplicationAssignees {
  applicationId: string;
  users: string[];
  groups: string[];
  totalUsers: number;
  totalGroups: number;
}
export const ASSIGNEES = selectionOf<ApplicationAssignees>({ applicationId: true, users: true, groups: true, totalUsers: true, totalGroups: true });

export interface UserApplications {
  userId: string;
  totalCount: number;
  applications: AppAssignmentRow[];
}
export const USER_APPLICATIONS = `userId totalCount applications { ${APP_ASSIGNMENT} }`;
