import { Router } from 'express';
import type { Database } from '../db/orm.js';

/** Liveness and readiness (SPEC §6): /healthz once serving, /readyz only while the database answers. */
export function createHealthRouter(db: Database): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await Promise.race([
        db.orm.em.fork().execute('select 1'),
        new Promise((_resolve, reject) => setTimeout(() => reject(new Error('database timeout')), 2000).unref()),
      ]);
      res.json({
        status: 'ready',
        database: db.kind,
        // Replicas only inform: reads fall back to the primary while one is down.
        ...(db.replicas
          ? { replicas: db.replicas.states().map((r) => ({ name: r.name, status: r.healthy ? 'up' : 'down', lag_bytes: r.lagBytes, lag_seconds: r.lagSeconds })) }
          : {}),
      });
    } catch (error) {
      res.status(503).json({ status: 'unavailable', reason: (error as Error).message });
    }
  });
  return router;
}
