import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express, { type Express, type RequestHandler } from 'express';
import type { RequestListener } from 'node:http';
import { OperationTypeNode } from 'graphql';
import type { Logger } from 'pino';
import { TokenVerifier } from '../auth/tokens.js';
import type { Config } from '../config.js';
import type { Database } from '../db/orm.js';
import { readRouteOf } from '../db/replicas.js';
import { statementStatsStorage, type StatementStats } from '../db/statement-stats.js';
import type { RequestContext } from '../graphql/context.js';
import { requestChecksPlugin, withoutFieldInstrumentation, type RequestCheck } from '../graphql/apollo-plugins.js';
import { contextCreationError, formatError, literalTypesRule, serviceUnavailableCheck } from '../graphql/errors.js';
import { noSubscriptionsRule, operationLimitsCheck } from '../graphql/operation-limits.js';
import { buildSchema } from '../graphql/schema.js';
import { compiledExecutionGateway } from '../graphql/compiled-execution.js';
import { tracingOn } from '../tracing.js';
import { createTokenEndpointProtection, type TokenEndpointProtection } from '../modules/application/oauth.protection.js';
import { createOAuthRouter } from '../modules/application/oauth.router.js';
import { idempotency, type IdempotencyRefusal } from '../modules/idempotency/idempotency.middleware.js';
import { IdempotencyStore } from '../modules/idempotency/idempotency.store.js';
import { createRestLayer } from '../rest/router.js';
import { bearerChallenge } from './bearer-challenge.js';
import { corsFor } from './cors.js';
import { graphqlDocumentGuard, MAX_DOCUMENT_TOKENS } from './graphql-document-guard.js';
import { createHealthRouter } from './health.js';
import { inputGuardCheck } from '../graphql/input-guard.js';
import { jsonErrorHandler, jsonNotFound, requireGraphQLJsonBody } from './json-errors.js';
import { createHomeRouter } from './home.js';
import { requestLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { createPlaygroundRouter } from './playground.js';
import { contextForRequest, startRequest } from './request-context.js';
import { fastPath } from './fast-path.js';
import { jsonBody } from './json-body.js';
import { graphqlHandler } from './graphql-endpoint.js';
import type { Handler, HttpRequest } from './handlers.js';
import { configureCursorKey } from '../modules/assignment/effective-users.cursor.js';

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    stats: StatementStats;
  }
}

export interface Gateway {
  /** REST, OAuth, health, metrics, docs, playground, and the /graphql requests the fast path leaves to it. */
  app: Express;
  /** The HTTP server's request listener: the GraphQL fast path, then `app` (src/http/graphql-endpoint.ts). */
  listener: RequestListener;
  apollo: ApolloServer<RequestContext>;
  verifier: TokenVerifier;
  db: Database;
  config: Config;
  logger: Logger;
  /** Rate limits and the secret-check queue of POST /oauth/token. */
  oauthProtection: TokenEndpointProtection;
  /** Builds the shared per-request context (viewer, EntityManager fork, loaders) for a request. */
  contextFor(req: HttpRequest): Promise<RequestContext>;
  /** Idempotency-Key handling for a surface, answering refused keys in that surface's error shape. */
  idempotent(refuse: IdempotencyRefusal): RequestHandler;
  stop(): Promise<void>;
}

/** Adds `extensions.sqlStatements` to responses when EXPOSE_QUERY_STATS is on (never in production). */
const queryStatsCheck: RequestCheck<RequestContext> = {
  willSendResponse({ response, contextValue }) {
    if (response.body.kind === 'single' && contextValue?.stats) {
      response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: contextValue.stats.statements };
    }
  },
};

/**
 * Read-your-writes with replicas: a mutation reads from the primary throughout and answers with the
 * primary's WAL position after its commit (header and `extensions.consistency`), which the client
 * sends back as `X-Idgraph-Consistency`; every response names where its reads ran (`X-Idgraph-Read-From`).
 */
function readRoutingPlugin(db: Database): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          const route = contextValue?.em && readRouteOf(contextValue.em);
          if (route && operation?.operation !== OperationTypeNode.QUERY) route.primaryOnly = true;
        },
        async willSendResponse({ operation, contextValue, response }) {
          const route = contextValue?.em && readRouteOf(contextValue.em);
          if (!route || !db.replicas) return;
          if (operation?.operation === OperationTypeNode.MUTATION) {
            const lsn = await db.replicas.primaryLsn(contextValue.em);
            response.http.headers.set('x-idgraph-consistency', lsn);
            if (response.body.kind === 'single') response.body.singleResult.extensions = { ...response.body.singleResult.extensions, consistency: lsn };
          }
          if (route.servedBy) response.http.headers.set('x-idgraph-read-from', route.servedBy);
        },
      };
    },
  };
}

/** A GraphQL request body's largest size (express.json's '1mb'). */
const GRAPHQL_BODY_LIMIT_BYTES = 1024 * 1024;

export async function createGateway(db: Database, config: Config, logger: Logger): Promise<Gateway> {
  const verifier = new TokenVerifier(config);
  db.orm.em.getEventManager().registerSubscriber(verifier.adminRows.subscriber());
  // Cost (perPage-aware), tokens, suggestions and subscriptions are handled below, not by graphql-armor:
  // its cost counts fields, not page sizes; its token check and suggestion masking answer 500 or miss enum hints.
  configureCursorKey(config.jwtSecret);
  const armor = new ApolloArmor({
    maxDepth: { n: 12 },
    costLimit: { enabled: false },
    // `__typename` counts too: an alias of it is as much work to answer as any other.
    maxAliases: { n: 30, allowList: [] },
    maxDirectives: { n: 50 },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  const metrics = createMetrics(db);
  const schema = buildSchema();
  const apollo = new ApolloServer<RequestContext>({
    // The GraphQL instrumentation of tracing wraps graphql-js's execute: with tracing on, operations stay there.
    gateway: compiledExecutionGateway(schema, tracingOn() ? Infinity : config.graphqlCompileAfter),
    introspection: config.introspection,
    formatError: formatError(logger, { hideSuggestions: config.production }),
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT: drains HTTP first, then stops Apollo and closes the pool.
    stopOnTerminationSignals: false,
    // Bearer tokens, no cookies: a cross-site request cannot act as the caller, so GET queries need no preflight header.
    csrfPrevention: false,
    validationRules: [...armor.validationRules, noSubscriptionsRule, literalTypesRule],
    plugins: [
      ...armor.plugins,
      requestChecksPlugin<RequestContext>([
        operationLimitsCheck({ maxCost: config.graphqlMaxCost }),
        metrics.graphqlCheck,
        serviceUnavailableCheck(),
        ...(config.exposeQueryStats ? [queryStatsCheck] : []),
        // Bounded input (depth, string length, NUL, unpaired surrogates) in literals and variables, before execution.
        inputGuardCheck(),
      ]),
      ApolloServerPluginLandingPageDisabled(),
      ...withoutFieldInstrumentation(),
      ...(db.replicas ? [readRoutingPlugin(db)] : []),
    ],
  });
  await apollo.start();

  const contextFor = (req: HttpRequest) => contextForRequest(db.orm, verifier, req, req.requestId, req.stats, db.replicas);
  const idempotencyDeps = { orm: db.orm, verifier, store: new IdempotencyStore(config.idempotencyEncryptionKey) };
  const idempotent = (refuse: IdempotencyRefusal) => idempotency(idempotencyDeps, refuse);

  const app = express();
  app.disable('x-powered-by');
  // REST sets its own ETag, over `data` and `pagination` (src/rest/headers.ts). Express's automatic one
  // hashed every other body, GraphQL POST answers included, which no cache can use (0.02 ms a request).
  app.disable('etag');
  app.set('trust proxy', config.trustProxy);
  // First for every request, in the app and in the GraphQL fast path alike.
  const common: Handler[] = [startRequest, requestLogger(logger), metrics.middleware, bearerChallenge()];
  app.use(...common);
  // Before every route: answers preflights (OPTIONS), which the REST router would otherwise call 405.
  const cors = corsFor(config.corsOrigins);
  if (cors) app.use(cors);
  // Before /graphql: a browser's GET /graphql gets the playground page.
  app.use(createPlaygroundRouter(config));

  // The busiest routes first (GraphQL, then REST): express matches every request against each layer
  // in turn, and the health, metrics, OAuth and home routes share no path with them.
  const graphql: Handler[] = [
    requireGraphQLJsonBody(),
    jsonBody(GRAPHQL_BODY_LIMIT_BYTES),
    graphqlDocumentGuard(),
    // Runs with Express's request only: the fast path sends requests with an Idempotency-Key to the app,
    // and without one this only calls `next`.
    idempotent((res, status, message) =>
      res.status(status).json({
        errors: [
          {
            message,
            extensions: {
              code: status === 409 ? 'CONFLICT' : 'BAD_USER_INPUT',
              fields: [{ path: ['Idempotency-Key'], message, type: status === 409 ? 'idempotency_key_in_use' : 'idempotency_key_reused' }],
            },
          },
        ],
      }),
    ) as Handler,
    // After the body is read, so that the resolvers' SQL is counted into this request's stats.
    (req, _res, next) => statementStatsStorage.run(req.stats, next),
    graphqlHandler(apollo, async (req, res) => {
      try {
        const context = await contextFor(req);
        metrics.bindResponse(context, res);
        return context;
      } catch (error) {
        throw contextCreationError(error);
      }
    }),
  ];
  app.use('/graphql', ...graphql);

  const oauthProtection = await createTokenEndpointProtection(db, config.oauth, metrics.registry);
  const stop = async () => {
    await apollo.stop();
    metrics.close();
  };
  const rest = createRestLayer({
    schema,
    execute: (operation, context) => apollo.executeOperation(operation, { contextValue: context }),
    contextFor,
    idempotent,
    logger,
  });
  const onError = jsonErrorHandler(logger);
  // With tracing on, express's instrumentation names the HTTP spans by route and adds the middleware's
  // spans: every request goes through the app then.
  const listener = tracingOn() ? app : fastPath(app, { common, graphql, restRouteOf: rest.fastRouteOf, onError, cors: cors !== undefined });
  const gateway: Gateway = { app, listener, apollo, verifier, db, config, logger, oauthProtection, contextFor, idempotent, stop };
  app.use(rest.router);
  app.use(createHealthRouter(db));
  app.use(metrics.router);
  app.use(createOAuthRouter(db, config, logger, oauthProtection));
  app.use(createHomeRouter(config));
  // Last: Express's own 404 and error pages are HTML with stack traces.
  app.use(jsonNotFound(), onError);
  return gateway;
}
