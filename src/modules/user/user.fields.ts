import { enumField, textField } from '../../common/fields.js';

export enum UserStatus {
  active = 'active',
  disabled = 'disabled',
}

/** The writable fields of a User, declared once (src/common/fields.ts). */
export const UserFields = {
  email: textField({
    required: true,
    minLength: 1,
    maxLength: 320,
    pattern: { regex: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, message: 'must be a valid email address', type: 'value_error.email' },
    description: 'Unique per tenant, case-insensitive.',
    example: 'jane.doe@example.com',
  }),
  name: textField({ maxLength: 200, nullable: true, default: '', example: 'Jane Doe' }),
  status: enumField(UserStatus, { default: UserStatus.active }),
};
