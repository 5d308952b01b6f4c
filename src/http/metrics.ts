import { Router } from 'express';
import { PerformanceObserver } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/orm.js';
import type { StatementStats } from '../db/statement-stats.js';
import type { RequestCheck } from '../graphql/apollo-plugins.js';
import type { RequestContext } from '../graphql/context.js';
import { pathOf } from '../common/http.js';
import type { Handler, HttpRequest, HttpResponse } from './handlers.js';

/**
 * Prometheus metrics. Conventions for labels: REST routes put their path template in
 * `res.locals.route`; GraphQL's operation label comes from `graphqlCheck`, which names only
 * operations that Apollo parsed, validated and is about to execute for an authenticated caller
 * (anything else is `invalid`, so anonymous input cannot mint series). One registry per gateway,
 * so that several gateways can live in one process (tests) without sharing series.
 */
export interface Metrics {
  registry: Registry;
  middleware: Handler;
  router: Router;
  /** Labels the operation of a /graphql request; needs `bindResponse` from the context function. */
  graphqlCheck: RequestCheck<RequestContext>;
  /** Ties a /graphql request's context to its response, where the operation label is left for the middleware. */
  bindResponse(context: RequestContext, res: HttpResponse): void;
  /** Stops the process-wide collectors when the gateway stops; see `collectProcessMetrics`. */
  close(): void;
}

export type Surface = 'graphql' | 'rest' | 'oauth' | 'other';

/** Paths outside REST and GraphQL that are worth a label of their own; everything else is 'other'. */
const OTHER_ROUTES = new Set(['/healthz', '/readyz', '/metrics', '/playground', '/docs']);
/** Seconds, from fast reads to slow bulk writes. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
/** Distinct operation names labelled per gateway; later ones are `other` (authenticated callers can still invent names). */
export const MAX_OPERATION_LABELS = 200;

export function surfaceOf(path: string): Surface {
  if (path === '/graphql' || path.startsWith('/graphql/')) return 'graphql';
  if (path.startsWith('/api/')) return 'rest';
  if (path.startsWith('/oauth/') || path === '/oauth') return 'oauth';
  return 'other';
}

/** A route label of bounded cardinality: never the raw path of a REST call or a 404. */
function routeOf(path: string, res: HttpResponse, surface: Surface, req: HttpRequest): string {
  if (typeof res.locals.route === 'string') return res.locals.route;
  if (surface === 'graphql') return '/graphql';
  if (surface === 'other' && OTHER_ROUTES.has(path)) return path;
  if (surface === 'other' && path.startsWith('/playground/assets/')) return '/playground/assets/:name';
  const routePath = (req.route as { path?: unknown } | undefined)?.path;
  if (surface === 'oauth' && routePath && typeof routePath === 'string') return routePath;
  return res.statusCode === 404 ? 'unmatched' : surface;
}

/** The operation label `graphqlCheck` left for this response, else `invalid` (rejected, unauthenticated, or not GraphQL). */
export function operationNameOf(res: HttpResponse): string {
  return typeof res.locals.operationName === 'string' ? res.locals.operationName : 'invalid';
}

export function createMetrics(db: Database): Metrics {
  const registry = new Registry();
  const stopProcessMetrics = collectProcessMetrics(registry);

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
    help: 'GraphQL requests by operation name (anonymous when unnamed; invalid when rejected or unauthenticated)',
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

  const middleware: Handler = (req, res, next) => {
    const start = process.hrtime.bigint();
    // Read now: routers mounted on a prefix rewrite req.path while they run.
    const path = pathOf(req);
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const surface = surfaceOf(path);
      const labels = { surface, route: routeOf(path, res, surface, req), method: req.method, status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, seconds);
      if (surface === 'graphql' && (req.method === 'POST' || req.method === 'GET') && res.getHeader('content-type')?.toString().includes('json')) {
        const operation = operationNameOf(res);
        operations.inc({ operation, status: String(res.statusCode) });
        operationDuration.observe({ operation }, seconds);
      }
      if (surface !== 'other') statements.observe({ surface }, req.stats?.statements ?? 0);
    });
    next();
  };

  // Apollo hands plugins a shallow copy of the context: key by the per-request stats object both share.
  const responses = new WeakMap<StatementStats, HttpResponse>();
  const labelled = new Set<string>();
  const labelOf = (name: string | undefined): string => {
    if (name === undefined) return 'anonymous';
    if (!GRAPHQL_NAME.test(name)) return 'invalid';
    if (!labelled.has(name) && labelled.size >= MAX_OPERATION_LABELS) return 'other';
    labelled.add(name);
    return name;
  };
  const graphqlCheck: RequestCheck<RequestContext> = {
    executionDidStart({ contextValue, operation }) {
      const res = responses.get(contextValue.stats);
      // No operation: an operationName that names none (execution reports it); labelled invalid.
      if (res && operation && contextValue.viewer.kind !== 'anonymous') res.locals.operationName = labelOf(operation.name?.value);
    },
  };

  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.send(await registry.metrics());
  });
  return { registry, middleware, router, graphqlCheck, bindResponse: (context, res) => responses.set(context.stats, res), close: stopProcessMetrics };
}

/**
 * prom-client's default metrics, and a stop for what they leave running: the GC collector observes
 * through a process-wide PerformanceObserver that prom-client never disconnects, whose callback holds
 * this registry and, through its gauges, the database; a stopped gateway (in tests, a whole test
 * file with its PGlite heap) would stay in memory until the process exits.
 */
function collectProcessMetrics(registry: Registry): () => void {
  const observers: PerformanceObserver[] = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back on the prototype as it was, never called unbound
  const observe = PerformanceObserver.prototype.observe;
  // prom-client creates its observers synchronously, in this call only.
  PerformanceObserver.prototype.observe = function (this: PerformanceObserver, ...args: Parameters<typeof observe>) {
    observers.push(this);
    return observe.apply(this, args);
  };
  try {
    collectDefaultMetrics({ register: registry, prefix: 'idgraph_' });
  } finally {
    PerformanceObserver.prototype.observe = observe;
  }
  return () => {
    for (const observer of observers) observer.disconnect();
  };
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
