import { textField } from '../../common/fields.js';

/** The writable fields of a Group, declared once (src/common/fields.ts). */
export const GroupFields = {
  name: textField({ minLength: 1, maxLength: 200 }),
  description: textField({ maxLength: 2000, nullable: true, default: '' }),
};
