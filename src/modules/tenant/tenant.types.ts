import { ArgsType, Field, InputType } from 'type-graphql';
import { PageArgs, PageType } from '../../common/paging.js';
import { Tenant, TenantStatus } from './tenant.entity.js';
// The settings' input classes (the type of `settings`) are declared there, and must be before the schema is built.
import './tenant.settings.js';
import { IdScalar } from '../../common/scalars.js';
import type { FieldInput } from '../../common/fields.js';
import { declareInputFields } from '../../common/graphql-fields.js';
import { TenantFields, TenantObjectFields } from './tenant.fields.js';

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type --
   the input classes get their fields at run time from the declarations (declareInputFields); the
   interfaces merged into them give those fields their static types. */
// The writable fields come from the declarations (tenant.fields.ts): a new one appears here by itself.
// partnerId is the id of another row, not declared data: written by hand, where the schema has always listed it.
@InputType()
export class CreateTenantInput {
  partnerId?: string | null;
}
export interface CreateTenantInput extends FieldInput<typeof TenantFields & typeof TenantObjectFields, 'create'> {}
declareInputFields(CreateTenantInput, TenantFields, 'create');
Field(() => IdScalar, { nullable: true, description: "Defaults to a partner admin's own partner." })(CreateTenantInput.prototype, 'partnerId');
declareInputFields(CreateTenantInput, TenantObjectFields, 'create');

@InputType()
export class UpdateTenantInput {
  partnerId?: string | null;
}
export interface UpdateTenantInput extends FieldInput<typeof TenantFields & typeof TenantObjectFields, 'update'> {}
declareInputFields(UpdateTenantInput, TenantFields, 'update');
Field(() => IdScalar, { nullable: true, description: 'Super admins only; null detaches the tenant from its partner.' })(UpdateTenantInput.prototype, 'partnerId');
declareInputFields(UpdateTenantInput, TenantObjectFields, 'update');
/* eslint-enable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type */

@ArgsType()
export class TenantListArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on name or slug.' }) search?: string | null;
  @Field(() => TenantStatus, { nullable: true }) status?: TenantStatus | null;
  @Field(() => IdScalar, { nullable: true }) partnerId?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Also soft-deleted ones (super and partner admins).' })
  includeDeleted?: boolean | null;
}

export const TenantPage = PageType(Tenant, 'TenantPage');
