import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * One trace per request, HTTP → GraphQL operation → SQL, for a REST call and a GraphQL call, joined
 * to the caller's `traceparent`. The built gateway runs in a child process (fixtures/trace-probe.cjs)
 * with the real instrumentations and an in-memory exporter. SQL spans come from the pg
 * instrumentation on PostgreSQL (DATABASE_URL) and from the gateway's own statement hook on PGlite
 * (src/db/sql-spans.ts), which the pg instrumentation does not see.
 */
const ROOT = join(__dirname, '..', '..');
const PROBE = join(__dirname, 'fixtures', 'trace-probe.cjs');

interface ProbeSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  scope: string;
  attributes: Record<string, unknown>;
}
interface ProbeCall {
  status: number;
  traceId: string;
  parentSpanId: string;
  spans: ProbeSpan[];
}

const SERVER = 1;
const CLIENT = 2;

let calls: Record<'rest' | 'graphql', ProbeCall>;

beforeAll(async () => {
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'ensure-built.cjs')], { cwd: ROOT, stdio: 'inherit' });
  // On PostgreSQL, a database of its own, dropped afterwards.
  const serverUrl = process.env.DATABASE_URL;
  let databaseUrl: string | undefined;
  const name = `idgraph_trace_${process.pid}`;
  if (serverUrl) {
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
    delete env.DATABASE_URL;
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    const probe = spawnSync(process.execPath, [PROBE], { cwd: ROOT, env, encoding: 'utf8', timeout: 120000 });
    if (probe.status !== 0) throw new Error(`trace probe failed (${probe.status}):\n${probe.stderr}`);
    calls = JSON.parse(probe.stdout);
  } finally {
    if (serverUrl) {
      const admin = new Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }
}, 240000);

/** The chain of parents of a span, nearest first. */
function ancestors(call: ProbeCall, span: ProbeSpan): ProbeSpan[] {
  const byId = new Map(call.spans.map((s) => [s.spanId, s]));
  const chain: ProbeSpan[] = [];
  for (let parent = byId.get(span.parentSpanId ?? ''); parent; parent = byId.get(parent.parentSpanId ?? '')) chain.push(parent);
  return chain;
}

describe.each(['rest', 'graphql'] as const)('a %s call', (kind) => {
  it("is one trace continuing the caller's traceparent: HTTP server span → GraphQL operation → SQL", () => {
    const call = calls[kind];
    expect(call.status).toBe(200);
    expect(call.spans.length).toBeGreaterThan(2);
    for (const span of call.spans) expect(span.traceId).toBe(call.traceId);

    const http = call.spans.find((s) => s.kind === SERVER && s.scope === '@opentelemetry/instrumentation-http');
    expect(http).toBeDefined();
    expect(http!.parentSpanId).toBe(call.parentSpanId);

    const operation = call.spans.find((s) => s.scope === '@opentelemetry/instrumentation-graphql' && s.attributes['graphql.operation.type'] === 'query');
    expect(operation).toBeDefined();
    expect(ancestors(call, operation!)).toContainEqual(http);

    const sql = call.spans.filter((s) => s.kind === CLIENT && (s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql'));
    expect(sql.length).toBeGreaterThan(0);
    const tenantQuery = sql.find((s) => /from "tenant"/i.test(String(s.attributes['db.query.text'] ?? s.attributes['db.statement'])));
    expect(tenantQuery).toBeDefined();
    expect(tenantQuery!.scope).toBe(process.env.DATABASE_URL ? '@opentelemetry/instrumentation-pg' : 'idgraph.pglite');
    expect(ancestors(call, tenantQuery!)).toContainEqual(operation);
  });
});
