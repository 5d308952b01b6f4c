import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { TokenVerifier } from '../auth/tokens.js';
import { AppError } from '../common/errors.js';
import type { Config } from '../config.js';
import type { Database } from '../db/orm.js';
import { statementStatsStorage, type StatementStats } from '../db/statement-stats.js';
import type { RequestContext } from '../graphql/context.js';
import { formatError } from '../graphql/errors.js';
import { buildSchema } from '../graphql/schema.js';
import { createOAuthRouter } from '../modules/application/oauth.router.js';
import { createRestRouter } from '../rest/router.js';
import { createHealthRouter } from './health.js';
import { requestLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { createPlaygroundRouter } from './playground.js';
import { contextForRequest, requestIdOf } from './request-context.js';
import { configureCursorKey } from '../modules/assignment/effective-users.cursor.js';

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    stats: StatementStats;
  }
}

export interface Gateway {
  app: Express;
  apollo: ApolloServer<RequestContext>;
  verifier: TokenVerifier;
  db: Database;
  config: Config;
  logger: Logger;
  /** Builds the shared per-request context (viewer, EntityManager fork, loaders) for a request. */
  contextFor(req: Request): Promise<RequestContext>;
  stop(): Promise<void>;
}

/** Adds `extensions.sqlStatements` to responses when EXPOSE_QUERY_STATS is on (never in production). */
function queryStatsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single' && contextValue?.stats) {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: contextValue.stats.statements };
          }
        },
      };
    },
  };
}

export async function createGateway(db: Database, config: Config, logger: Logger): Promise<Gateway> {
  const verifier = new TokenVerifier(config);
  configureCursorKey(config.jwtSecret);
  const armor = new ApolloArmor({
    maxDepth: { n: 12 },
    costLimit: { maxCost: 20000 },
    maxAliases: { n: 30 },
    maxDirectives: { n: 50 },
    maxTokens: { n: 5000 },
    blockFieldSuggestion: { enabled: config.production },
  }).protect();
  const apollo = new ApolloServer<RequestContext>({
    schema: buildSchema(),
    introspection: !config.production,
    formatError: formatError(logger),
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT: drains HTTP first, then stops Apollo and closes the pool.
    stopOnTerminationSignals: false,
    // Bearer tokens, no cookies: a cross-site request cannot act as the caller, so GET queries need no preflight header.
    csrfPrevention: false,
    validationRules: armor.validationRules,
    plugins: [...armor.plugins, ApolloServerPluginLandingPageDisabled(), ...(config.exposeQueryStats ? [queryStatsPlugin()] : [])],
  });
  await apollo.start();

  const contextFor = (req: Request) => contextForRequest(db.orm, verifier, req, req.requestId, req.stats);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use((req, res, next) => {
    req.requestId = requestIdOf(req);
    req.stats = { statements: 0 };
    res.setHeader('X-Request-Id', req.requestId);
    next();
  });
  const metrics = createMetrics(db);
  app.use(requestLogger(logger), metrics.middleware);
  app.use(createHealthRouter(db));
  app.use(metrics.router);
  app.use(createOAuthRouter(db, config, logger));
  app.use(createPlaygroundRouter(config));

  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    // After the body is read, so that the resolvers' SQL is counted into this request's stats.
    (req: Request, _res: Response, next: NextFunction) => statementStatsStorage.run(req.stats, next),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        try {
          return await contextFor(req);
        } catch (error) {
          if (error instanceof AppError && error.code === 'UNAUTHENTICATED') {
            throw new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
          }
          throw error;
        }
      },
    }),
  );

  const gateway: Gateway = { app, apollo, verifier, db, config, logger, contextFor, stop: () => apollo.stop() };
  app.use(createRestRouter(gateway));
  return gateway;
}
