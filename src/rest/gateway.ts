import type { GraphQLResponse } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { IncomingMessage } from 'node:http';
import type { StatementStats } from '../db/statement-stats.js';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { RequestContext } from '../graphql/context.js';
import type { IdempotencyRefusal } from '../modules/idempotency/idempotency.middleware.js';

/** What the REST layer reads of a request: Node's, with what the gateway's first handlers add (Express's Request is one). */
export type RestRequest = IncomingMessage & { requestId: string; stats: StatementStats; body?: unknown };

/** One GraphQL operation of the route table, as the gateway runs it. */
export interface RestOperation {
  /** The document's text: the same string on every request, so Apollo's document cache skips parse and validate after the first. */
  query: string;
  variables: Record<string, unknown>;
}

/**
 * What the REST layer needs of the gateway, and nothing more: src/http/server.ts builds one, so
 * that this layer does not depend on the HTTP server that mounts it.
 */
export interface RestGateway {
  /** The schema the route documents are validated against at startup. */
  schema: GraphQLSchema;
  /** Runs an operation through Apollo (shield, cost and input limits, the other plugins) for a request's context. */
  execute(operation: RestOperation, context: RequestContext): Promise<GraphQLResponse<Record<string, unknown>>>;
  /** The shared per-request context (viewer, EntityManager fork, loaders). */
  contextFor(req: RestRequest): Promise<RequestContext>;
  /** Idempotency-Key handling, answering refused keys in the route's error shape. */
  idempotent(refuse: IdempotencyRefusal): RequestHandler;
  logger: Logger;
}
