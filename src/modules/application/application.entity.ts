import { Entity, Property, type Opt } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SoftDeletableRow } from '../../common/base.entity.js';
import { IdScalar } from '../../common/scalars.js';
import { ApplicationFields, ApplicationScope, ApplicationType, ClientAuthenticationProtocol, DEFAULT_INVITE_EXPIRATION_MINUTES, PkceMode } from './application.fields.js';

export { ApplicationScope, ApplicationType, ClientAuthenticationProtocol, DEFAULT_INVITE_EXPIRATION_MINUTES, PkceMode };
registerEnumType(ApplicationType, { name: 'ApplicationType' });
registerEnumType(ApplicationScope, {
  name: 'ApplicationScope',
  description: 'GLOBAL: every tenant; PARTNER: the tenants of one partner; TENANT: one tenant.',
});
registerEnumType(PkceMode, { name: 'PkceMode' });
registerEnumType(ClientAuthenticationProtocol, { name: 'ClientAuthenticationProtocol' });

// simpleResolvers: column fields resolve with graphql-js's default resolver (no type-graphql wrapper per field
// of every row); fields with a @FieldResolver keep theirs.
@ObjectType({ description: 'An OAuth client. Its secret is never readable: only create and rotate-secret return it.', simpleResolvers: true })
@Entity({ tableName: 'application' })
export class Application extends SoftDeletableRow {
  @Field()
  @Property({ type: 'string', length: ApplicationFields.name.maxLength })
  name!: string;

  @Field(() => String)
  @Property({ type: 'string', length: ApplicationFields.description.maxLength })
  description: Opt<string> = '';

  @Field(() => ApplicationType)
  @Property({ type: 'string', length: 16 })
  applicationType!: ApplicationType;

  @Field(() => ApplicationScope)
  @Property({ type: 'string', length: 8 })
  scope!: ApplicationScope;

  @Field(() => IdScalar, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  partnerId: string | null = null;

  @Field(() => IdScalar, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  tenantId: string | null = null;

  @Field(() => [String])
  @Property({ type: 'json' })
  redirectUris: Opt<string[]> = [];

  @Field()
  @Property({ type: 'string', length: 64 })
  clientId!: string;

  /** Salted scrypt hash (src/auth/secrets.ts); never exposed. */
  @Property({ type: 'string', length: 255, lazy: true })
  clientSecretHash!: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  secretRotatedAt: Date | null = null;

  // Management-application fields (management-apps-api.txt); null for other types.
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: ApplicationFields.loginUri.maxLength, nullable: true })
  loginUri: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: ApplicationFields.subdomain.maxLength, nullable: true })
  subdomain: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: ApplicationFields.customDomain.maxLength, nullable: true })
  customDomain: string | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  inviteMemberEmailExpirationMinutes: number | null = null;

  @Field(() => PkceMode, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  pkce: PkceMode | null = null;

  @Field(() => ClientAuthenticationProtocol, { nullable: true })
  @Property({ type: 'string', length: 8, nullable: true })
  firstClientAuthenticationProtocol: ClientAuthenticationProtocol | null = null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Property({ type: 'json', nullable: true })
  firstClient: Opt<Record<string, unknown>> | null = null;
}
