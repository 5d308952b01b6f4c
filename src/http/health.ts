import { Router } from 'express';
import { DATABASE_RETRY_AFTER_SECONDS } from '../common/errors.js';
import type { Database } from '../db/orm.js';

/** Liveness and readiness (SPEC §6): /healthz once serving, /readyz only while the database answers. */
export function createHealthRouter(db: Database): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await Promise.race([db.orm.em.fork().execute('select 1'), new Promise((_resolve, reject) => setTimeout(() => reject(new Error('database timeout')), 2000).unref())]);
      res.json({
        status: 'ready',
        database: db.kind,
        // Replicas only inform: reads fall back to the primary while one is down.
        ...(db.replicas
          ? { replicas: db.replicas.states().map((r) => ({ name: r.name, status: r.healthy ? 'up' : 'down', lag_bytes: r.lagBytes, lag_seconds: r.lagSeconds })) }
          : {}),
      });
    } catch {
      // Anonymous callers learn that the database does not answer, not where it is or why.
      res.status(503).setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS)).json({ status: 'unavailable', reason: 'database unavailable' });
    }
  });
  return router;
}
