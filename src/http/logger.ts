import { isSpanContextValid, trace } from '@opentelemetry/api';
import { once } from 'node:events';
import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';
import { headerOf, pathOf } from '../common/http.js';
import type { Handler, HttpRequest } from './handlers.js';
import { operationNameOf, surfaceOf } from './metrics.js';

/**
 * Structured JSON logs; every request log line carries the request id. Written to `destination`, by
 * default stdout without blocking the event loop, in batches (`batchedDestination`).
 */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'idgraph' },
    redact: ['req.headers.authorization', '*.client_secret', '*.clientSecret'],
    serializers: { err: errorWithoutData },
  };
  if (destination) return pino(options, destination);
  return config.logLevel === 'silent' ? pino(options) : pino(options, batchedDestination(1));
}

/** Bytes of log lines gathered before they are written in one call. */
const LOG_BATCH_BYTES = 4096;
/** How often what is gathered is written anyway, so a quiet server's lines are at most this late. */
const LOG_FLUSH_INTERVAL_MS = 100;

type SonicBoom = ReturnType<typeof pino.destination>;
/**
 * sonic-boom (pino's destination) state with no public accessor: bytes not yet written, and whether a
 * batch is in fs.write. Read defensively: were they renamed, the interval would write every time
 * and `flushLogs` would not wait, as plain sonic-boom does.
 */
type SonicBoomState = { _len?: number; _writing?: boolean; destroyed?: boolean };

/**
 * Log lines gathered by sonic-boom and written in batches of LOG_BATCH_BYTES rather than one write
 * call (and one trip through libuv's thread pool) per line. Asynchronous writes: a slow log reader
 * does not block the event loop. The interval writes a quiet server's lines within
 * LOG_FLUSH_INTERVAL_MS, and only when there are some (sonic-boom's own `periodicFlush` writes, empty,
 * even then; pino's `logger.flush()` would also add a 'drain' listener and an fsync per call). pino
 * writes what is pending synchronously when the process exits, fatal errors included; `flushLogs`
 * writes it at once.
 */
export function batchedDestination(dest: number | string): pino.DestinationStream {
  const stream = pino.destination({ dest, sync: false, minLength: LOG_BATCH_BYTES });
  const state = stream as unknown as SonicBoomState;
  const timer = setInterval(() => {
    if (state._len !== 0 && !state.destroyed) stream.flush();
  }, LOG_FLUSH_INTERVAL_MS).unref();
  stream.once('close', () => clearInterval(timer));
  return stream;
}

/**
 * Writes the lines logged so far, synchronously once no batch is being written (sonic-boom's
 * flushSync beside a batch still in fs.write can put later lines before it). Before output that
 * must come after them (the banner on stderr), and before `process.exit`. Destinations without
 * flushSync (tests' own) are left alone.
 */
export async function flushLogs(logger: Logger): Promise<void> {
  const stream = (logger as unknown as Record<symbol, (Partial<SonicBoom> & SonicBoomState) | undefined>)[pino.symbols.streamSym];
  if (!stream || typeof stream.flushSync !== 'function' || stream.destroyed) return;
  // 'drain' when the batch is written; an 'error' (which rejects `once`) ends the write too.
  while (stream._writing) await once(stream as SonicBoom, 'drain').catch(() => undefined);
  stream.flushSync();
}

/** A PostgreSQL error (as the driver or MikroORM hands it on): it has a five-character SQLSTATE. */
const isSqlError = (err: Record<string, unknown>): boolean =>
  typeof err.sqlState === 'string' || (typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code) && ('severity' in err || 'routine' in err));
/**
 * Values a failed statement repeats: parameters inlined as literals, and the server's detail
 * ("Failing row contains (...)", "Key (email)=(...)") that the driver appends up to the stack.
 */
const SQL_LITERAL = /'(?:[^']|'')*'/g;
const SQL_DETAIL = / - detail: [\s\S]*?(?=\n\s+at |$)/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const SQL_DATA_FIELDS = ['detail', 'where', 'internalQuery', 'query', 'sql', 'params', 'parameters', 'bindings'];

function scrub(text: string, sql: boolean): string {
  const withoutValues = sql ? text.replace(SQL_DETAIL, ' - detail: [redacted]').replace(SQL_LITERAL, "'?'") : text;
  return withoutValues.replace(EMAIL, '[email]');
}

/**
 * pino's error serializer, minus the data a failed SQL statement carries (the SQL builder inlines
 * the parameters into the message: e-mail addresses, names): the statement's shape, the SQLSTATE,
 * the constraint and the stack stay, for debugging. E-mail addresses are masked in every error.
 */
function errorWithoutData(err: unknown): unknown {
  const serialized = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown> | undefined;
  return serialized && typeof serialized === 'object' ? scrubError(serialized, 0) : serialized;
}

function scrubError(err: Record<string, unknown>, depth: number, insideSqlError = false): Record<string, unknown> {
  const sql = insideSqlError || isSqlError(err);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err)) {
    if (sql && SQL_DATA_FIELDS.includes(key)) continue;
    out[key] = scrubValue(value, sql, depth);
  }
  return out;
}

/** Nested errors (`cause`, `aggregateErrors`) are scrubbed the same way, a few levels down. */
function scrubValue(value: unknown, sql: boolean, depth: number): unknown {
  if (typeof value === 'string') return scrub(value, sql);
  if (Array.isArray(value)) return depth < 3 ? value.map((item) => scrubValue(item, sql, depth + 1)) : '[omitted]';
  if (value && typeof value === 'object') return depth < 3 ? scrubError(value as Record<string, unknown>, depth + 1, sql) : '[omitted]';
  return value;
}

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/** The request's trace id: the active span's when tracing is on, else the caller's `traceparent`, so logs join traces either way. */
function traceIdOf(req: HttpRequest): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext && isSpanContextValid(spanContext)) return spanContext.traceId;
  const match = TRACEPARENT.exec(headerOf(req, 'traceparent') ?? '');
  return match && !/^0+$/.test(match[1]) ? match[1] : undefined;
}

/** Who called (never the token): subject, role and the tenant, partner or application it acts for. */
function callerOf(req: HttpRequest): Record<string, string | undefined> {
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
export function requestLogger(logger: Logger): Handler {
  // Request lines carry only the fields written below (ids, method, path without query, status, caller
  // ids, counts), never a header or a body: pino's redaction, meant for arbitrary objects, would double
  // the cost of each line (4.4 → 9.3 µs) and find nothing.
  const lines = logger.child({}, { redact: [] });
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    // Read now: routers mounted on a prefix rewrite req.path while they run.
    const path = pathOf(req);
    const traceId = traceIdOf(req);
    const log = () => {
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
        operationName: surface === 'graphql' && req.method !== 'OPTIONS' ? operationNameOf(res) : undefined,
        ...callerOf(req),
        sqlStatements: req.stats?.statements,
        durationMs: Math.round(Number(process.hrtime.bigint() - start) / 1e4) / 100,
      };
      if (PROBES.has(path) && res.statusCode < 500) lines.debug(line, 'request');
      else if (res.statusCode >= 500) lines.error(line, 'request');
      else lines.info(line, 'request');
    };
    // Node emits 'close' on every response, after 'finish' when it was sent and alone when the client
    // went away first: one listener sees both.
    res.once('close', log);
    next();
  };
}
