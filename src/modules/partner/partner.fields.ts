import { textField } from '../../common/fields.js';

/** The writable fields of a Partner, declared once (src/common/fields.ts). */
export const PartnerFields = {
  name: textField({ minLength: 1, maxLength: 200 }),
};
