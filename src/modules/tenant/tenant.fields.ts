import { boolField, enumField, intField, lengthRange, listField, numberRange, objectField, textField } from '../../common/fields.js';

export enum TenantStatus {
  active = 'active',
  suspended = 'suspended',
}

export enum MfaMethod {
  totp = 'totp',
  sms = 'sms',
  email = 'email',
  webauthn = 'webauthn',
}

const name = { minLength: 1, maxLength: 200 };

/** The writable column fields of a Tenant (SPEC §1), declared once (src/common/fields.ts). */
export const TenantFields = {
  name: textField({ required: true, ...name, descriptions: { create: lengthRange(name) }, example: 'Initech' }),
  slug: textField({
    minLength: 1,
    maxLength: 100,
    // Null or absent on create: derived from the name.
    nullable: 'create',
    pattern: { regex: /^[a-z0-9]+(?:-[a-z0-9]+)*$/, message: 'must be 1..100 lowercase letters, digits and single hyphens', type: 'value_error.str.regex', whole: true },
    descriptions: { create: 'Unique among live tenants; derived from the name when absent.' },
  }),
  status: enumField(TenantStatus, { default: TenantStatus.active }),
};

const minLength = intField({ minimum: 8, maximum: 128, default: 8 });
const maxAgeDays = intField({ minimum: 0, maximum: 3650, default: 0 });
/** A tenant's password policy (SPEC §1): given whole, the fields not given take their defaults. */
export const PasswordPolicyFields = {
  minLength: { ...minLength, description: `${numberRange(minLength)}, default ${minLength.default}` },
  requireUppercase: boolField({ default: false }),
  requireLowercase: boolField({ default: false }),
  requireDigit: boolField({ default: false }),
  requireSymbol: boolField({ default: false }),
  maxAgeDays: { ...maxAgeDays, description: `${numberRange(maxAgeDays)}, default ${maxAgeDays.default} (never expire)` },
};

const sessionTimeout = intField({ minimum: 1, maximum: 43200, default: 60 });
/** A tenant's settings (SPEC §1), each key optional: what is not set takes its default. */
export const TenantSettingsFields = {
  mfaRequired: boolField({ default: false }),
  mfaMethods: listField(enumField(MfaMethod), { uniqueItems: true }),
  passwordPolicy: objectField(PasswordPolicyFields, {
    description: 'Replaced whole; fields not given take their defaults.',
    restDescription: 'Replaced whole; fields not given take their defaults.',
  }),
  sessionTimeout: { ...sessionTimeout, description: `Minutes, ${numberRange(sessionTimeout)}.`, restDescription: 'Minutes.' },
};

/** The tenant's settings column: one object of the fields above. */
export const TenantObjectFields = {
  settings: objectField(TenantSettingsFields, {
    descriptions: { update: 'Only the keys named are replaced.' },
    restDescription: 'Only the keys named are replaced. Unknown keys are rejected.',
    example: { mfa_required: true, mfa_methods: ['totp', 'webauthn'], session_timeout: 120 },
  }),
};
