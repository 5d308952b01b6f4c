import { Entity, Property, type Opt } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { BaseRow } from '../../common/base.entity.js';
import { IdScalar } from '../../common/scalars.js';

@ObjectType({ description: 'One successful mutation: who did what to which object, and what changed. Never holds a secret.' })
@Entity({ tableName: 'audit_event' })
export class AuditEvent extends BaseRow {
  @Field({ description: 'super_admin, partner_admin, tenant_admin, application or management_application' })
  @Property({ type: 'string', length: 32 })
  actorType!: string;

  @Field()
  @Property({ type: 'string', length: 255 })
  actorId!: string;

  @Field({ description: 'e.g. tenant.update, application.rotate_secret' })
  @Property({ type: 'string', length: 64 })
  action!: string;

  @Field()
  @Property({ type: 'string', length: 32 })
  targetType!: string;

  @Field(() => IdScalar)
  @Property({ type: 'uuid' })
  targetId!: string;

  @Field(() => IdScalar, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  tenantId: string | null = null;

  @Field(() => IdScalar, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  partnerId: string | null = null;

  @Field(() => GraphQLJSONObject, { description: 'Changed fields: {field: {from, to}} for updates, the created values for creates.' })
  @Property({ type: 'json' })
  diff: Opt<Record<string, unknown>> = {};

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 128, nullable: true })
  requestId: string | null = null;
}
