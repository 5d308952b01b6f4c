import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { FieldInput } from '../../common/fields.js';
import { declareInputObject } from '../../common/graphql-fields.js';
import type { InputCheck } from '../../common/validate.js';
import { MfaMethod, PasswordPolicyFields, TenantSettingsFields } from './tenant.fields.js';

/** Tenant settings (SPEC §1). Stored with SPEC's snake_case keys, only the keys that were set. */
export { MfaMethod };
registerEnumType(MfaMethod, { name: 'MfaMethod' });

export type MfaMethodName = `${MfaMethod}`;

export interface StoredPasswordPolicy {
  min_length: number;
  require_uppercase: boolean;
  require_lowercase: boolean;
  require_digit: boolean;
  require_symbol: boolean;
  max_age_days: number;
}

export interface StoredTenantSettings {
  mfa_required?: boolean;
  mfa_methods?: MfaMethodName[];
  password_policy?: StoredPasswordPolicy;
  session_timeout?: number;
}

export const DEFAULT_PASSWORD_POLICY: StoredPasswordPolicy = {
  min_length: PasswordPolicyFields.minLength.default,
  require_uppercase: PasswordPolicyFields.requireUppercase.default,
  require_lowercase: PasswordPolicyFields.requireLowercase.default,
  require_digit: PasswordPolicyFields.requireDigit.default,
  require_symbol: PasswordPolicyFields.requireSymbol.default,
  max_age_days: PasswordPolicyFields.maxAgeDays.default,
};
/** Minutes; what a tenant gets until an admin sets it. */
export const DEFAULT_SESSION_TIMEOUT = TenantSettingsFields.sessionTimeout.default;

@ObjectType()
export class PasswordPolicy {
  @Field(() => Int) minLength!: number;
  @Field() requireUppercase!: boolean;
  @Field() requireLowercase!: boolean;
  @Field() requireDigit!: boolean;
  @Field() requireSymbol!: boolean;
  @Field(() => Int, { description: '0: passwords never expire.' }) maxAgeDays!: number;
}

@ObjectType({ description: 'Effective settings: what was set, defaults for the rest.' })
export class TenantSettings {
  @Field() mfaRequired!: boolean;
  @Field(() => [MfaMethod]) mfaMethods!: MfaMethod[];
  @Field(() => PasswordPolicy) passwordPolicy!: PasswordPolicy;
  @Field(() => Int, { description: TenantSettingsFields.sessionTimeout.description }) sessionTimeout!: number;
}

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type --
   the input classes get their fields at run time from the declarations (declareInputObject); the
   interfaces merged into them give those fields their static types. */
@InputType()
export class PasswordPolicyInput {}
export interface PasswordPolicyInput extends FieldInput<typeof PasswordPolicyFields, 'update'> {}
declareInputObject(PasswordPolicyInput, PasswordPolicyFields);

@InputType({ description: 'Settings keys to set; on update, only the keys named are replaced.' })
export class TenantSettingsInput {}
export interface TenantSettingsInput extends FieldInput<typeof TenantSettingsFields, 'update'> {}
declareInputObject(TenantSettingsInput, TenantSettingsFields);
/* eslint-enable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type */

const RANGE_ERROR = 'value_error.number.range';

/** Validates the keys given into `check` and returns them in stored form. */
export function settingsToStored(input: TenantSettingsInput, check: InputCheck, field = 'settings'): StoredTenantSettings {
  const stored: StoredTenantSettings = {};
  const given = <T>(path: string[], value: T | null | undefined): value is T => {
    if (value === null) check.fail(path, 'must not be null', 'type_error.none.not_allowed');
    return value !== null && value !== undefined;
  };
  if (given([field, 'mfaRequired'], input.mfaRequired)) stored.mfa_required = input.mfaRequired;
  if (given([field, 'mfaMethods'], input.mfaMethods)) stored.mfa_methods = [...new Set(input.mfaMethods)] as MfaMethodName[];
  if (given([field, 'sessionTimeout'], input.sessionTimeout)) {
    check.integer([field, 'sessionTimeout'], input.sessionTimeout, TenantSettingsFields.sessionTimeout, RANGE_ERROR);
    stored.session_timeout = input.sessionTimeout;
  }
  if (given([field, 'passwordPolicy'], input.passwordPolicy)) {
    const p = input.passwordPolicy;
    const pp = [field, 'passwordPolicy'];
    const policy: StoredPasswordPolicy = { ...DEFAULT_PASSWORD_POLICY };
    if (given([...pp, 'minLength'], p.minLength)) {
      check.integer([...pp, 'minLength'], p.minLength, PasswordPolicyFields.minLength, RANGE_ERROR);
      policy.min_length = p.minLength;
    }
    if (given([...pp, 'maxAgeDays'], p.maxAgeDays)) {
      check.integer([...pp, 'maxAgeDays'], p.maxAgeDays, PasswordPolicyFields.maxAgeDays, RANGE_ERROR);
      policy.max_age_days = p.maxAgeDays;
    }
    for (const [name, key] of [
      ['requireUppercase', 'require_uppercase'],
      ['requireLowercase', 'require_lowercase'],
      ['requireDigit', 'require_digit'],
      ['requireSymbol', 'require_symbol'],
    ] as const) {
      if (given([...pp, name], p[name])) policy[key] = p[name];
    }
    stored.password_policy = policy;
  }
  return stored;
}

/** Stored settings with defaults applied, in GraphQL shape. */
export function effectiveSettings(stored: StoredTenantSettings): TenantSettings {
  const policy = { ...DEFAULT_PASSWORD_POLICY, ...(stored.password_policy ?? {}) };
  return {
    mfaRequired: stored.mfa_required ?? false,
    mfaMethods: (stored.mfa_methods ?? []) as MfaMethod[],
    sessionTimeout: stored.session_timeout ?? DEFAULT_SESSION_TIMEOUT,
    passwordPolicy: {
      minLength: policy.min_length,
      requireUppercase: policy.require_uppercase,
      requireLowercase: policy.require_lowercase,
      requireDigit: policy.require_digit,
      requireSymbol: policy.require_symbol,
      maxAgeDays: policy.max_age_days,
    },
  };
}
