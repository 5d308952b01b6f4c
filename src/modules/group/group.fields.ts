import { lengthRange, textField } from '../../common/fields.js';

const name = { minLength: 1, maxLength: 200 };

/** The writable fields of a Group, declared once (src/common/fields.ts). */
export const GroupFields = {
  name: textField({ required: true, ...name, descriptions: { create: `${lengthRange(name)}, unique per tenant.` }, example: 'Engineering' }),
  description: textField({ maxLength: 2000, nullable: true, default: '', example: 'Product engineers' }),
};
