import { ArgsType, Field, InputType } from 'type-graphql';
import { PageArgs, PageType } from '../../common/paging.js';
import { lengthRange } from '../../common/fields.js';
import { Partner } from './partner.entity.js';
import { PartnerFields } from './partner.fields.js';

@InputType()
export class CreatePartnerInput {
  @Field({ description: `${lengthRange(PartnerFields.name)}, unique among live partners (case-insensitive).` }) name!: string;
}

@InputType()
export class UpdatePartnerInput {
  @Field(() => String, { nullable: true }) name?: string | null;
}

@ArgsType()
export class PartnerListArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on the name.' }) search?: string | null;
}

export const PartnerPage = PageType(Partner, 'PartnerPage');
