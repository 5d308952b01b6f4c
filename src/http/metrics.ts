import { Router, type RequestHandler } from 'express';
import type { Database } from '../db/orm.js';

/**
 * Prometheus metrics. Conventions for labels: REST routes put their path template in
 * `res.locals.route`; GraphQL puts the operation name in `res.locals.operationName`.
 */
export function metricsMiddleware(): RequestHandler {
  return (_req, _res, next) => next();
}

export function createMetricsRouter(_db: Database): Router {
  return Router();
}
