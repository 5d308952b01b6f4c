import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';

/**
 * Apollo's built-in plugins that hook every field resolution (`willResolveField`): cache control is
 * on by default, inline traces and usage reporting turn on by environment (APOLLO_KEY, subgraphs).
 * This gateway sets no cache hints and reports to no Apollo service, so they would only cost a
 * wrapper and a callback per resolved field.
 */
export function withoutFieldInstrumentation(): ApolloServerPlugin[] {
  return [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginUsageReportingDisabled()];
}
