import { ArgsType, Field, InputType, ObjectType } from 'type-graphql';
import type { FieldInput } from '../../common/fields.js';
import { declareInputFields } from '../../common/graphql-fields.js';
import { PageArgs, PageType } from '../../common/paging.js';
import { Application, ApplicationScope, ApplicationType } from './application.entity.js';
import { IdScalar } from '../../common/scalars.js';
import { ApplicationOwnFields, ManagementFields, RedirectUriFields } from './application.fields.js';

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type --
   the input classes get their fields at run time from the declarations (declareInputFields); the
   interfaces merged into them give those fields their static types. */
// The writable fields come from the declarations (application.fields.ts): a new one appears here by itself.
@InputType({ description: 'Management-application fields (management-apps-api.txt); only for applicationType management.' })
export class ManagementFieldsInput {}
export interface ManagementFieldsInput extends FieldInput<typeof ManagementFields, 'update'> {}
declareInputFields(ManagementFieldsInput, ManagementFields, 'update');

// partnerId and tenantId are ids of other rows (the owner), not declared data: written by hand, where the schema has always listed them.
@InputType()
export class CreateApplicationInput extends ManagementFieldsInput {
  partnerId?: string | null;
  tenantId?: string | null;
}
export interface CreateApplicationInput extends FieldInput<typeof ApplicationOwnFields & typeof RedirectUriFields, 'create'> {}
declareInputFields(CreateApplicationInput, ApplicationOwnFields, 'create');
Field(() => IdScalar, { nullable: true, description: "PARTNER scope only; defaults to the caller's partner." })(CreateApplicationInput.prototype, 'partnerId');
Field(() => IdScalar, { nullable: true, description: "TENANT scope only; defaults to a tenant admin's tenant." })(CreateApplicationInput.prototype, 'tenantId');
declareInputFields(CreateApplicationInput, RedirectUriFields, 'create');

@InputType({ description: 'Fields to change; scope and owner are fixed at creation.' })
export class UpdateApplicationInput extends ManagementFieldsInput {}
export interface UpdateApplicationInput extends FieldInput<typeof ApplicationOwnFields & typeof RedirectUriFields, 'update'> {}
declareInputFields(UpdateApplicationInput, ApplicationOwnFields, 'update');
declareInputFields(UpdateApplicationInput, RedirectUriFields, 'update');

@ArgsType()
export class ApplicationListArgs extends PageArgs {
  @Field(() => IdScalar, { nullable: true, description: 'TENANT applications of this tenant.' }) tenantId?: string | null;
  @Field(() => IdScalar, { nullable: true, description: 'Applications of this partner: PARTNER ones and TENANT ones of its tenants.' })
  partnerId?: string | null;
  @Field(() => ApplicationScope, { nullable: true }) scope?: ApplicationScope | null;
  @Field(() => ApplicationType, { nullable: true }) applicationType?: ApplicationType | null;
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on name, description or client id.' }) search?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Also soft-deleted ones (super and partner admins).' })
  includeDeleted?: boolean | null;
}

export const ApplicationPage = PageType(Application, 'ApplicationPage');

@ObjectType({ description: 'A created application with its client secret: the only time the secret is shown.' })
export class ApplicationWithSecret {
  @Field(() => Application) application!: Application;
  @Field() clientSecret!: string;
}

@ObjectType()
export class RotatedSecret {
  @Field(() => IdScalar) id!: string;
  @Field() clientId!: string;
  @Field({ description: 'The new secret; the old one stops working at once, or at previousSecretExpiresAt with a grace period.' }) clientSecret!: string;
  @Field(() => Date) rotatedAt!: Date;
  @Field(() => IdScalar, { description: 'Id of the new secret (Application.secrets).' }) secretId!: string;
  @Field(() => Date, { nullable: true, description: 'When the previous secret stops working; null without a grace period.' })
  previousSecretExpiresAt!: Date | null;
}

/** The name and description of a management application: REST calls them app_name and app_description. */
const managementAppOwnFields = {
  name: { ...ApplicationOwnFields.name, descriptions: { update: 'app_name; required on create.' } },
  description: { ...ApplicationOwnFields.description, descriptions: { update: 'app_description' } },
};
@InputType({ description: 'A management application of one tenant (management-apps-api.txt: app_name, app_description, ...).' })
export class ManagementApplicationInput extends ManagementFieldsInput {}
// One input for create and update (the service requires the name on create): every field optional.
export interface ManagementApplicationInput extends FieldInput<typeof managementAppOwnFields, 'update'> {}
declareInputFields(ManagementApplicationInput, managementAppOwnFields, 'update');
/* eslint-enable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type */
