import { enumField, intField, numberRange, textField } from '../../common/fields.js';

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

/** The writable fields of a Tenant and of its settings (SPEC §1), declared once (src/common/fields.ts). */
export const TenantFields = {
  name: textField({ minLength: 1, maxLength: 200 }),
  slug: textField({
    minLength: 1,
    maxLength: 100,
    pattern: { regex: /^[a-z0-9]+(?:-[a-z0-9]+)*$/, message: 'must be 1..100 lowercase letters, digits and single hyphens', type: 'value_error.str.regex' },
  }),
  status: enumField(TenantStatus, { default: TenantStatus.active }),
};

const sessionTimeout = intField({ minimum: 1, maximum: 43200, default: 60 });
export const TenantSettingsFields = {
  mfaMethods: enumField(MfaMethod),
  sessionTimeout: { ...sessionTimeout, description: `Minutes, ${numberRange(sessionTimeout)}.` },
};

export const PasswordPolicyFields = {
  minLength: intField({ minimum: 8, maximum: 128, default: 8 }),
  maxAgeDays: intField({ minimum: 0, maximum: 3650, default: 0 }),
};
