import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * OpenTelemetry tracing, on when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is set and off
 * otherwise: then nothing below is even loaded. Imported first by main.ts, because the HTTP,
 * express, GraphQL and pg instrumentations patch those modules as they are required. Spans go to
 * the OTLP/HTTP endpoint (OTEL_* variables as documented by OpenTelemetry); `traceparent` from callers
 * is honoured. The embedded PGlite database is not seen by the pg instrumentation: its statements
 * get spans from src/db/sql-spans.ts.
 */
let sdk: { shutdown(): Promise<void> } | undefined;

export function tracingOn(): boolean {
  return sdk !== undefined;
}

/** Starts the SDK; `spanProcessors` replace the OTLP exporter (tests pass an in-memory one). */
export function startTracing(options: { spanProcessors?: SpanProcessor[] } = {}): void {
  if (sdk) return;
  /* eslint-disable @typescript-eslint/no-require-imports -- the SDK and its instrumentations load only when tracing is on */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
  const { GraphQLInstrumentation } = require('@opentelemetry/instrumentation-graphql') as typeof import('@opentelemetry/instrumentation-graphql');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const probes = new Set(['/healthz', '/readyz', '/metrics']);
  const started = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME || 'idgraph',
    spanProcessors: options.spanProcessors ?? [new BatchSpanProcessor(new OTLPTraceExporter())],
    instrumentations: [
      // Probes are polled every few seconds: no traces for them.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => probes.has((req.url ?? '').split('?')[0]) }),
      new ExpressInstrumentation(),
      // One span per operation (parse, validate, execute); resolvers that only read a property get none.
      new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, mergeItems: true }),
      // Within a traced request only, as the PGlite statement spans.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  started.start();
  sdk = started;
}

/** Flushes the spans still buffered; called when the server stops. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown().catch(() => undefined);
}

if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) startTracing();
