import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * CORS for browser front ends on other origins (CORS_ORIGINS). Off when no origin is configured:
 * then browsers keep their same-origin rule. Credentials are bearer tokens in `Authorization`, not
 * cookies, so `credentials` stays off.
 */
export function corsFor(origins: string[]): RequestHandler | undefined {
  if (!origins.length) return undefined;
  return cors({
    origin: origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Tenant-Id', 'X-Request-Id', 'If-None-Match'],
    exposedHeaders: ['X-Request-Id', 'ETag', 'Location', 'WWW-Authenticate'],
    maxAge: 600,
  });
}
