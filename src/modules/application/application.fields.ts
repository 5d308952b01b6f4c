import { enumField, intField, textField } from '../../common/fields.js';

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

/** The writable fields of an Application, declared once (src/common/fields.ts). */
export const ApplicationFields = {
  name: textField({ minLength: 1, maxLength: 200 }),
  description: textField({ maxLength: 2000, nullable: true, default: '' }),
  applicationType: enumField(ApplicationType),
  scope: enumField(ApplicationScope),
  // Management-application fields (management-apps-api.txt); null for other types.
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
  inviteMemberEmailExpirationMinutes: intField({ minimum: 1, maximum: 525600, nullable: true, default: DEFAULT_INVITE_EXPIRATION_MINUTES }),
  pkce: enumField(PkceMode, { nullable: true }),
  firstClientAuthenticationProtocol: enumField(ClientAuthenticationProtocol, { nullable: true }),
};
