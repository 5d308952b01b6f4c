import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { Request, RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';
import { operationNameOf, surfaceOf } from './metrics.js';

/** Structured JSON logs; every request log line carries the request id. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { service: 'idgraph' }, redact: ['req.headers.authorization', '*.client_secret', '*.clientSecret'] });
}

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/** The request's trace id: the active span's when tracing is on, else the caller's `traceparent`, so logs join traces either way. */
function traceIdOf(req: Request): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext && isSpanContextValid(spanContext)) return spanContext.traceId;
  const match = TRACEPARENT.exec(req.header('traceparent') ?? '');
  return match && !/^0+$/.test(match[1]) ? match[1] : undefined;
}

/** Who called (never the token): subject, role and the tenant, partner or application it acts for. */
function callerOf(req: Request): Record<string, string | undefined> {
  const viewer = req.viewer;
  if (!viewer || viewer.kind === 'anonymous') return {};
  return {
    sub: viewer.subject,
    role: viewer.kind,
    tenantId: viewer.kind === 'tenant_admin' ? viewer.tenantId : undefined,
    partnerId: viewer.kind === 'partner_admin' || viewer.kind === 'tenant_admin' ? (viewer.partnerId ?? undefined) : undefined,
    applicationId: viewer.kind === 'application' || viewer.kind === 'tenant_admin' ? viewer.applicationId : undefined,
  };
}

/** Probes are polled every few seconds by orchestrators: logged at debug only. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** One line per request when the response is finished (or the client went away), with its request id. */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    // Read now: routers mounted on a prefix rewrite req.path while they run.
    const path = req.path;
    const traceId = traceIdOf(req);
    let logged = false;
    const log = () => {
      if (logged) return;
      logged = true;
      const surface = surfaceOf(path);
      const line = {
        reqId: req.requestId,
        traceId,
        method: req.method,
        // The path only: query strings may carry GraphQL documents or variables.
        path,
        status: res.writableFinished ? res.statusCode : undefined,
        aborted: !res.writableFinished || undefined,
        surface,
        route: typeof res.locals.route === 'string' ? res.locals.route : undefined,
        operationName: surface === 'graphql' && req.method !== 'OPTIONS' ? operationNameOf(req, res) : undefined,
        ...callerOf(req),
        sqlStatements: req.stats?.statements,
        durationMs: Math.round(Number(process.hrtime.bigint() - start) / 1e4) / 100,
      };
      if (PROBES.has(path) && res.statusCode < 500) logger.debug(line, 'request');
      else if (res.statusCode >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
    };
    res.once('finish', log);
    res.once('close', log);
    next();
  };
}
