import { ArgsType, Field, InputType } from 'type-graphql';
import { PageArgs, PageType } from '../../common/paging.js';
import type { FieldInput } from '../../common/fields.js';
import { declareInputFields } from '../../common/graphql-fields.js';
import { Partner } from './partner.entity.js';
import { PartnerFields } from './partner.fields.js';

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type --
   the input classes get their fields at run time from the declaration (declareInputFields); the
   interfaces merged into them give those fields their static types. */
// The writable fields come from the declaration (partner.fields.ts): a new one appears here by itself.
@InputType()
export class CreatePartnerInput {}
export interface CreatePartnerInput extends FieldInput<typeof PartnerFields, 'create'> {}
declareInputFields(CreatePartnerInput, PartnerFields, 'create');

@InputType()
export class UpdatePartnerInput {}
export interface UpdatePartnerInput extends FieldInput<typeof PartnerFields, 'update'> {}
declareInputFields(UpdatePartnerInput, PartnerFields, 'update');
/* eslint-enable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type */

@ArgsType()
export class PartnerListArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on the name.' }) search?: string | null;
}

export const PartnerPage = PageType(Partner, 'PartnerPage');
