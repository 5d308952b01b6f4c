import { lengthRange, textField } from '../../common/fields.js';

const name = { minLength: 1, maxLength: 200 };

/** The writable fields of a Partner, declared once (src/common/fields.ts). */
export const PartnerFields = {
  name: textField({ required: true, ...name, descriptions: { create: `${lengthRange(name)}, unique among live partners (case-insensitive).` }, example: 'Initrode Partners' }),
};
