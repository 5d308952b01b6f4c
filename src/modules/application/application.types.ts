import { GraphQLJSONObject } from 'graphql-scalars';
import { ArgsType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { PageArgs, PageType } from '../../common/paging.js';
import { Application, ApplicationScope, ApplicationType, ClientAuthenticationProtocol, PkceMode } from './application.entity.js';
import { IdScalar } from '../../common/scalars.js';
import { lengthRange } from '../../common/fields.js';
import { ApplicationFields } from './application.fields.js';

@InputType({ description: 'Management-application fields (management-apps-api.txt); only for applicationType management.' })
export class ManagementFieldsInput {
  @Field(() => String, { nullable: true }) loginUri?: string | null;
  @Field(() => String, { nullable: true }) subdomain?: string | null;
  @Field(() => String, { nullable: true }) customDomain?: string | null;
  @Field(() => Int, { nullable: true, description: 'Default 2880.' }) inviteMemberEmailExpirationMinutes?: number | null;
  @Field(() => PkceMode, { nullable: true }) pkce?: PkceMode | null;
  @Field(() => ClientAuthenticationProtocol, { nullable: true }) firstClientAuthenticationProtocol?: ClientAuthenticationProtocol | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Replaced whole on update.' }) firstClient?: Record<string, unknown> | null;
}

@InputType()
export class CreateApplicationInput extends ManagementFieldsInput {
  @Field({ description: lengthRange(ApplicationFields.name) }) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => ApplicationType) applicationType!: ApplicationType;
  @Field(() => ApplicationScope, {
    nullable: true,
    description: "Inferred when absent: TENANT with tenantId, PARTNER with partnerId, else the caller's own level (GLOBAL for super admins).",
  })
  scope?: ApplicationScope | null;
  @Field(() => IdScalar, { nullable: true, description: "PARTNER scope only; defaults to the caller's partner." }) partnerId?: string | null;
  @Field(() => IdScalar, { nullable: true, description: "TENANT scope only; defaults to a tenant admin's tenant." }) tenantId?: string | null;
  @Field(() => [String], { nullable: true, description: 'Absolute URLs.' }) redirectUris?: string[] | null;
}

@InputType({ description: 'Fields to change; scope and owner are fixed at creation.' })
export class UpdateApplicationInput extends ManagementFieldsInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => ApplicationType, { nullable: true }) applicationType?: ApplicationType | null;
  @Field(() => [String], { nullable: true }) redirectUris?: string[] | null;
}

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

@InputType({ description: 'A management application of one tenant (management-apps-api.txt: app_name, app_description, ...).' })
export class ManagementApplicationInput extends ManagementFieldsInput {
  @Field(() => String, { nullable: true, description: 'app_name; required on create.' }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'app_description' }) description?: string | null;
}
