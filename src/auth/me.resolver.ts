import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { IdScalar } from '../common/scalars.js';
import type { Viewer } from './viewer.js';

@ObjectType({ description: 'The caller, as the gateway understood its token.' })
export class Me {
  @Field({ description: 'super_admin, partner_admin, tenant_admin or application' }) kind!: string;
  @Field() subject!: string;
  @Field(() => IdScalar, { nullable: true }) partnerId!: string | null;
  @Field(() => IdScalar, { nullable: true }) tenantId!: string | null;
  @Field(() => IdScalar, { nullable: true, description: 'Set for application and management-application tokens.' }) applicationId!: string | null;
  @Field(() => [String]) scopes!: string[];
}

@Resolver()
export class MeResolver {
  @Query(() => Me)
  me(@Ctx() { viewer }: { viewer: Viewer }): Me {
    if (viewer.kind === 'anonymous') throw new Error('unreachable: shield requires authentication');
    return {
      kind: viewer.kind,
      subject: viewer.subject,
      partnerId: 'partnerId' in viewer ? viewer.partnerId : null,
      tenantId: 'tenantId' in viewer ? viewer.tenantId : null,
      applicationId: 'applicationId' in viewer ? (viewer.applicationId ?? null) : null,
      scopes: [...viewer.scopes].sort(),
    };
  }
}
