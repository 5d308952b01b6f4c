import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Logger } from 'pino';
import supertest from 'supertest';
import { signToken } from '../../src/auth/tokens.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/orm.js';
import { createLogger } from '../../src/http/logger.js';
import { createGateway, type Gateway } from '../../src/http/server.js';

export const TEST_JWT_SECRET = 'test-secret-for-idgraph-tests-0123456789';

export interface GraphQLResult<T = any> {
  status: number;
  data: T;
  errors?: { message: string; path?: string[]; extensions: { code: string; fields?: { path: (string | number)[]; message: string }[] } }[];
  /** SQL statements the request issued (extensions.sqlStatements). */
  sqlStatements: number;
}

export interface TestGateway {
  gateway: Gateway;
  db: Database;
  config: Config;
  http: supertest.Agent;
  /** A signed HS256 token for the test secret; `exp` one hour ahead. */
  token(claims: Record<string, unknown>): Promise<string>;
  superToken(): Promise<string>;
  /** POST /graphql with an optional bearer token. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>>;
  close(): Promise<void>;
}

/**
 * A real database per test file: an in-memory PGlite by default; with DATABASE_URL, a fresh
 * database created on that server and dropped when the file is done.
 */
async function freshDatabase(): Promise<{ url?: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { drop: async () => {} };
  const name = `idgraph_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/**
 * A gateway on a fresh database. `logger` replaces the (silent) default, for tests that read the log
 * lines; `connectVia` rewrites the database URL the gateway connects with (PostgreSQL only), e.g. to
 * reach the server through a TCP relay a test can cut.
 */
export async function startTestGateway(env: Record<string, string> = {}, options: { logger?: Logger; connectVia?: (url: string) => string } = {}): Promise<TestGateway> {
  const database = await freshDatabase();
  const url = database.url && options.connectVia ? options.connectVia(database.url) : database.url;
  // Silent whatever NODE_ENV a test picks (production would log at info into the test output).
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    EXPOSE_QUERY_STATS: '1',
    SEED_DEMO_DATA: '0',
    LOG_LEVEL: 'silent',
    // .ci/run turns prepared statements off for the run through PgBouncer in transaction mode.
    ...(process.env.DATABASE_PREPARED_STATEMENTS ? { DATABASE_PREPARED_STATEMENTS: process.env.DATABASE_PREPARED_STATEMENTS } : {}),
    // .ci/run sets 0 for the PostgreSQL run: every operation then runs compiled (graphql-jit), from its first use.
    ...(process.env.GRAPHQL_COMPILE_AFTER ? { GRAPHQL_COMPILE_AFTER: process.env.GRAPHQL_COMPILE_AFTER } : {}),
    ...env,
    ...(url ? { DATABASE_URL: url } : {}),
  });
  const db = await openDatabase(url, { timeouts: config.database, preparedStatements: config.database.preparedStatements });
  const gateway = await createGateway(db, config, options.logger ?? createLogger(config));
  const http = supertest.agent(gateway.listener);
  const token = (claims: Record<string, unknown>) => signToken(config, claims, 3600);
  return {
    gateway,
    db,
    config,
    http,
    token,
    superToken: () => token({ sub: 'test-super', role: 'super_admin', scope: 'admin:read admin:write' }),
    async gql(query, variables, bearer) {
      const request = http.post('/graphql').set('content-type', 'application/json');
      if (bearer) request.set('authorization', `Bearer ${bearer}`);
      const res = await request.send({ query, variables });
      return { status: res.status, data: res.body.data, errors: res.body.errors, sqlStatements: res.body.extensions?.sqlStatements };
    },
    async close() {
      await gateway.stop();
      await db.close();
      await database.drop();
    },
  };
}

/** Asserts a GraphQL result has no errors and returns its data. */
export function ok<T>(result: GraphQLResult<T>): T {
  if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
  return result.data;
}

/** The `extensions.code` of the first error. */
export function codeOf(result: GraphQLResult): string | undefined {
  return result.errors?.[0]?.extensions.code;
}
