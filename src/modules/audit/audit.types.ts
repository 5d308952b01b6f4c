import { ArgsType, Field, InputType } from 'type-graphql';
import { PageArgs, PageType } from '../../common/paging.js';
import { AuditEvent } from './audit.entity.js';
import { IdScalar } from '../../common/scalars.js';

@InputType()
export class AuditEventFilter {
  @Field(() => IdScalar, { nullable: true }) tenantId?: string | null;
  @Field(() => IdScalar, { nullable: true }) targetId?: string | null;
  @Field(() => String, { nullable: true }) targetType?: string | null;
  @Field(() => String, { nullable: true, description: 'e.g. tenant.update' }) action?: string | null;
  @Field(() => String, { nullable: true }) actorId?: string | null;
  @Field(() => Date, { nullable: true }) since?: Date | null;
  @Field(() => Date, { nullable: true }) until?: Date | null;
}

@ArgsType()
export class AuditEventListArgs extends PageArgs {
  @Field(() => AuditEventFilter, { nullable: true }) filter?: AuditEventFilter | null;
}

export const AuditEventPage = PageType(AuditEvent, 'AuditEventPage');
