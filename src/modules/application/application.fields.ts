import { enumField, intField, jsonField, lengthRange, listField, textField } from '../../common/fields.js';

export enum ApplicationType {
  web = 'web',
  spa = 'spa',
  native = 'native',
  service = 'service',
  management = 'management',
}

export enum ApplicationScope {
  GLOBAL = 'GLOBAL',
  PARTNER = 'PARTNER',
  TENANT = 'TENANT',
}

export enum PkceMode {
  enforcePkceInsteadOfClientCredentials = 'enforcePkceInsteadOfClientCredentials',
  enforcePkceAlongsideClientCredentials = 'enforcePkceAlongsideClientCredentials',
  allowPkceAlongsideClientCredentials = 'allowPkceAlongsideClientCredentials',
}

export enum ClientAuthenticationProtocol {
  oidc = 'oidc',
  saml = 'saml',
}

export const DEFAULT_INVITE_EXPIRATION_MINUTES = 2880;
export const MAX_REDIRECT_URIS = 100;

const name = { minLength: 1, maxLength: 200 };

/**
 * An application's own writable fields. The surfaces list the groups below in the orders they always
 * have (GraphQL: management fields first; REST: scope after them), so they are declared apart.
 */
export const ApplicationOwnFields = {
  name: textField({ required: true, ...name, descriptions: { create: lengthRange(name) }, example: 'Support Desk' }),
  // The service stores '' for an absent description; the GraphQL schema has never shown it as a default.
  description: textField({ maxLength: 2000, nullable: true, default: '', graphqlDefault: false, example: 'Help-desk web app' }),
  applicationType: enumField(ApplicationType, { required: true, example: ApplicationType.web }),
  // Fixed at creation, with the owner.
  scope: enumField(ApplicationScope, {
    only: 'create',
    description: "Inferred when absent: TENANT with tenantId, PARTNER with partnerId, else the caller's own level (GLOBAL for super admins).",
    restDescription: "Inferred when absent: TENANT with tenant_id, PARTNER with partner_id, else the caller's level.",
  }),
};

/** Its redirect URIs (each checked as an absolute URL by the service). */
export const RedirectUriFields = {
  redirectUris: listField('string', {
    maxItems: MAX_REDIRECT_URIS,
    itemDescription: 'Absolute URL.',
    descriptions: { create: 'Absolute URLs.' },
    example: ['https://support.example.com/callback'],
  }),
};

// Management-application columns (management-apps-api.txt); null for other types.
const managementColumns = {
  loginUri: textField({ maxLength: 2048, nullable: true }),
  subdomain: textField({
    minLength: 1,
    maxLength: 63,
    nullable: true,
    pattern: { regex: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, message: 'must be a DNS label: lowercase letters, digits and hyphens, up to 63' },
  }),
  customDomain: textField({
    minLength: 1,
    maxLength: 253,
    nullable: true,
    pattern: { regex: /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, message: 'must be a domain name such as app.example.com' },
  }),
  inviteMemberEmailExpirationMinutes: intField({
    minimum: 1,
    maximum: 525600,
    nullable: true,
    default: DEFAULT_INVITE_EXPIRATION_MINUTES,
    description: `Default ${DEFAULT_INVITE_EXPIRATION_MINUTES}.`,
  }),
  pkce: enumField(PkceMode, { nullable: true }),
  firstClientAuthenticationProtocol: enumField(ClientAuthenticationProtocol, { nullable: true }),
};

/** Management-application fields (management-apps-api.txt); null for other types. */
export const ManagementFields = {
  ...managementColumns,
  firstClient: jsonField({ nullable: true, description: 'Replaced whole on update.', restDescription: 'Replaced whole on update.' }),
};

/** Every scalar column of an Application declared above: test/field-rules.test.ts compares them with the database. */
export const ApplicationFields = { ...ApplicationOwnFields, ...managementColumns };
