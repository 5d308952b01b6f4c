import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';

/** Structured JSON logs; every request log line carries the request id. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { service: 'idgraph' }, redact: ['req.headers.authorization', '*.client_secret', '*.clientSecret'] });
}
