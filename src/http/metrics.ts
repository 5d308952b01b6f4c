import { Router, type Request, type RequestHandler, type Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/orm.js';

/**
 * Prometheus metrics. Conventions for labels: REST routes put their path template in
 * `res.locals.route`; GraphQL puts the operation name in `res.locals.operationName` (else it is
 * read from the request body). One registry per gateway, so that several gateways can live in
 * one process (tests) without sharing series.
 */
export interface Metrics {
  registry: Registry;
  middleware: RequestHandler;
  router: Router;
}

export type Surface = 'graphql' | 'rest' | 'oauth' | 'other';

/** Paths outside REST and GraphQL that are worth a label of their own; everything else is 'other'. */
const OTHER_ROUTES = new Set(['/healthz', '/readyz', '/metrics', '/playground', '/docs']);
/** Seconds, from fast reads to slow bulk writes. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
const FIRST_OPERATION = /^\s*(?:#[^\n]*\n\s*)*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

export function surfaceOf(path: string): Surface {
  if (path === '/graphql' || path.startsWith('/graphql/')) return 'graphql';
  if (path.startsWith('/api/')) return 'rest';
  if (path.startsWith('/oauth/') || path === '/oauth') return 'oauth';
  return 'other';
}

/** A route label of bounded cardinality: never the raw path of a REST call or a 404. */
function routeOf(path: string, res: Response, surface: Surface, req: Request): string {
  if (typeof res.locals.route === 'string') return res.locals.route;
  if (surface === 'graphql') return '/graphql';
  if (surface === 'other' && OTHER_ROUTES.has(path)) return path;
  if (surface === 'other' && path.startsWith('/playground/assets/')) return '/playground/assets/:name';
  if (surface === 'oauth' && req.route?.path && typeof req.route.path === 'string') return req.route.path;
  return res.statusCode === 404 ? 'unmatched' : surface;
}

/** The GraphQL operation name: what the resolvers recorded, the request's operationName, or the query's first named operation. */
export function operationNameOf(req: Request, res: Response): string {
  const candidates: unknown[] = [res.locals.operationName, req.body?.operationName, req.query?.operationName];
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && GRAPHQL_NAME.test(candidate)) return candidate;
  }
  const query = typeof req.body?.query === 'string' ? req.body.query : typeof req.query?.query === 'string' ? req.query.query : undefined;
  const named = query ? FIRST_OPERATION.exec(query) : null;
  return named && named[1].length <= 64 ? named[1] : 'anonymous';
}

export function createMetrics(db: Database): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'idgraph_' });

  const requestLabels = ['surface', 'route', 'method', 'status'] as const;
  const requests = new Counter({ name: 'idgraph_http_requests_total', help: 'HTTP requests served', labelNames: requestLabels, registers: [registry] });
  const duration = new Histogram({
    name: 'idgraph_http_request_duration_seconds',
    help: 'HTTP request duration, from the first byte read to the last byte written',
    labelNames: requestLabels,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const operations = new Counter({
    name: 'idgraph_graphql_operations_total',
    help: 'GraphQL requests by operation name (anonymous when unnamed)',
    labelNames: ['operation', 'status'],
    registers: [registry],
  });
  const operationDuration = new Histogram({
    name: 'idgraph_graphql_operation_duration_seconds',
    help: 'GraphQL request duration by operation name',
    labelNames: ['operation'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const statements = new Histogram({
    name: 'idgraph_sql_statements_per_request',
    help: 'SQL statements issued while serving one request',
    labelNames: ['surface'],
    buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 100],
    registers: [registry],
  });
  new Gauge({
    name: 'idgraph_db_pool_connections',
    help: 'Database connections by state (PostgreSQL: the knex pool; PGlite: one embedded connection)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const pool = poolOf(db);
      this.set({ state: 'used' }, pool.used);
      this.set({ state: 'free' }, pool.free);
      this.set({ state: 'pending' }, pool.pending);
    },
  });

  if (db.replicas) {
    const replicas = db.replicas;
    const replicaGauge = (name: string, help: string, value: (r: ReturnType<typeof replicas.states>[number]) => number | null) =>
      new Gauge({
        name,
        help,
        labelNames: ['replica'],
        registers: [registry],
        collect() {
          for (const state of replicas.states()) {
            const v = value(state);
            if (v !== null) this.set({ replica: state.name }, v);
          }
        },
      });
    replicaGauge('idgraph_replica_up', 'Whether the replica is in the read rotation (1) or out of it (0)', (r) => (r.healthy ? 1 : 0));
    replicaGauge('idgraph_replica_lag_bytes', 'WAL bytes the replica has not replayed yet, at the last probe', (r) => r.lagBytes);
    replicaGauge('idgraph_replica_lag_seconds', 'Seconds since the replica last replayed a transaction, 0 when caught up', (r) => r.lagSeconds);
    new Counter({
      name: 'idgraph_replica_reads_total',
      help: 'Read statements served by each replica',
      labelNames: ['replica'],
      registers: [registry],
      collect() {
        this.reset();
        for (const state of replicas.states()) this.inc({ replica: state.name }, state.reads);
      },
    });
  }

  const middleware: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    // Read now: routers mounted on a prefix rewrite req.path while they run.
    const path = req.path;
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const surface = surfaceOf(path);
      const labels = { surface, route: routeOf(path, res, surface, req), method: req.method, status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, seconds);
      if (surface === 'graphql' && (req.method === 'POST' || req.method === 'GET') && res.getHeader('content-type')?.toString().includes('json')) {
        const operation = operationNameOf(req, res);
        operations.inc({ operation, status: String(res.statusCode) });
        operationDuration.observe({ operation }, seconds);
      }
      if (surface !== 'other') statements.observe({ surface }, req.stats?.statements ?? 0);
    });
    next();
  };

  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.send(await registry.metrics());
  });
  return { registry, middleware, router };
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

function poolOf(db: Database): { used: number; free: number; pending: number } {
  if (db.kind === 'pglite') return { used: 0, free: 1, pending: 0 };
  const pool = (db.orm.em.getKnex() as unknown as { client: { pool?: TarnPool } }).client.pool;
  if (!pool) return { used: 0, free: 0, pending: 0 };
  return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() };
}
