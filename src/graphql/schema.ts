import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchemaSync } from 'type-graphql';
import { MeResolver } from '../auth/me.resolver.js';
import { permissions } from '../auth/permissions.js';
import { AccessResolver } from '../modules/access/access.resolver.js';
import { ApplicationResolver } from '../modules/application/application.resolver.js';
import { AppAssignmentResolver, AssignmentResolver, AssignmentRowResolver, EffectiveUserResolver } from '../modules/assignment/assignment.resolver.js';
import { AuditResolver } from '../modules/audit/audit.resolver.js';
import { GroupResolver } from '../modules/group/group.resolver.js';
import { PartnerResolver } from '../modules/partner/partner.resolver.js';
import { TenantResolver } from '../modules/tenant/tenant.resolver.js';
import { UserResolver } from '../modules/user/user.resolver.js';
import { databaseErrorMiddleware } from './errors.js';

const RESOLVERS = [
  MeResolver,
  PartnerResolver,
  TenantResolver,
  UserResolver,
  GroupResolver,
  ApplicationResolver,
  AssignmentResolver,
  AccessResolver,
  AppAssignmentResolver,
  AssignmentRowResolver,
  EffectiveUserResolver,
  AuditResolver,
] as const;

/** The schema as type-graphql builds it, without permissions (what `schema.graphql` prints). */
export function buildBareSchema(): GraphQLSchema {
  return buildSchemaSync({
    resolvers: RESOLVERS,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: false,
    emitSchemaFile: false,
  });
}

let cached: GraphQLSchema | undefined;

/** The served schema: every field behind the shield permission map. Built once per process. */
export function buildSchema(): GraphQLSchema {
  cached ??= applyMiddleware(buildBareSchema(), permissions, databaseErrorMiddleware);
  return cached;
}
