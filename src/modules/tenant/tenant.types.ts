import { ArgsType, Field, InputType } from 'type-graphql';
import { PageArgs, PageType } from '../../common/paging.js';
import { Tenant, TenantStatus } from './tenant.entity.js';
import { TenantSettingsInput } from './tenant.settings.js';
import { IdScalar } from '../../common/scalars.js';
import { lengthRange } from '../../common/fields.js';
import { TenantFields } from './tenant.fields.js';

@InputType()
export class CreateTenantInput {
  @Field({ description: lengthRange(TenantFields.name) }) name!: string;
  @Field(() => String, { nullable: true, description: 'Unique among live tenants; derived from the name when absent.' })
  slug?: string | null;
  @Field(() => TenantStatus, { nullable: true, defaultValue: TenantFields.status.default }) status?: TenantStatus | null;
  @Field(() => IdScalar, { nullable: true, description: "Defaults to a partner admin's own partner." })
  partnerId?: string | null;
  @Field(() => TenantSettingsInput, { nullable: true }) settings?: TenantSettingsInput | null;
}

@InputType()
export class UpdateTenantInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) slug?: string | null;
  @Field(() => TenantStatus, { nullable: true }) status?: TenantStatus | null;
  @Field(() => IdScalar, { nullable: true, description: 'Super admins only; null detaches the tenant from its partner.' })
  partnerId?: string | null;
  @Field(() => TenantSettingsInput, { nullable: true, description: 'Only the keys named are replaced.' })
  settings?: TenantSettingsInput | null;
}

@ArgsType()
export class TenantListArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on name or slug.' }) search?: string | null;
  @Field(() => TenantStatus, { nullable: true }) status?: TenantStatus | null;
  @Field(() => IdScalar, { nullable: true }) partnerId?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Also soft-deleted ones (super and partner admins).' })
  includeDeleted?: boolean | null;
}

export const TenantPage = PageType(Tenant, 'TenantPage');
