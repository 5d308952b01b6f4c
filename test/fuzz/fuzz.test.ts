import fc from 'fast-check';
import {
  buildClientSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
  getIntrospectionQuery,
} from 'graphql';
import type supertest from 'supertest';
import { startTestGateway, type TestGateway } from '../support/harness.js';
import { addMember, assignGroup, assignUser, buildWorld, createApplication, createGroup, createUser, type World } from '../support/world.js';

/**
 * Hostile-input fuzzing of the whole public surface (issue 8): every REST operation of /openapi.json,
 * every GraphQL root field and /oauth/token, with hostile strings, numbers, depths and encodings.
 * Whatever is sent: no 5xx, JSON bodies only (never HTML, a stack trace or a file path), and the
 * server and its database are healthy afterwards. Runs are bounded; the seed is printed on failure
 * (`FUZZ_SEED=<n>` replays it, `FUZZ_RUNS` scales the run count, `FUZZ_REPORT=1` prints the totals).
 */

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const SCALE = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 1;
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

/** Strings a hostile client or a buggy integration sends. */
const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\uffff',
  '\u202e',
  '🙂',
  '%',
  '%zz',
  '%00',
  '%2e%2e%2f',
  '../../etc/passwd',
  "' or 1=1 --",
  '"; drop table tenant; --',
  '$1',
  '{{x}}',
  '<script>alert(1)</script>',
  'null',
  'undefined',
  'NaN',
  '__proto__',
  'constructor',
  'x'.repeat(300),
  'y'.repeat(70_000),
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'not-a-uuid',
  '\\',
  '\n\r\t',
  'GLOBAL',
  'global',
  'http://',
  'javascript:alert(1)',
  'a@b',
  '\u00e9'.repeat(100),
];
const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
const hostileNumber = fc.oneof(
  fc.constantFrom(0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e308, -1e308, 0.5, 101, 1e6),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** JSON nested `depth` levels deep, as objects or arrays: built only when serialized, printed short in counterexamples. */
class DeepJson {
  constructor(
    readonly depth: number,
    readonly kind: 'object' | 'array',
  ) {}
  /** A placeholder that `toJson` replaces with the nested text (JSON.stringify itself would overflow the stack). */
  toJSON(): string {
    return `__deep_${this.depth}_${this.kind}__`;
  }
  text(): string {
    return this.kind === 'object' ? `${'{"a":'.repeat(this.depth)}"leaf"${'}'.repeat(this.depth)}` : `${'['.repeat(this.depth)}"leaf"${']'.repeat(this.depth)}`;
  }
  [fc.toStringMethod](): string {
    return `DeepJson(${this.depth}, ${this.kind})`;
  }
}
/** JSON text of a value that may hold DeepJson parts. */
function toJson(value: unknown): string {
  return JSON.stringify(value).replace(/"__deep_(\d+)_(object|array)__"/g, (_, depth, kind) => new DeepJson(Number(depth), kind).text());
}
const deepJson = fc.tuple(fc.constantFrom(40, 1_300, 12_000), fc.constantFrom<'object' | 'array'>('object', 'array')).map(([d, k]) => new DeepJson(d, k));

const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof({ weight: 12, arbitrary: hostileScalar }, { weight: 1, arbitrary: deepJson });

interface Outcome {
  status: number;
  contentType: string;
  text: string;
}

/** What no response may ever be, whatever was sent. */
function expectSafe(outcome: Outcome, what: string): void {
  const problem =
    outcome.status >= 500
      ? `status ${outcome.status}`
      : outcome.text && !/json/.test(outcome.contentType)
        ? `non-JSON body (${outcome.contentType})`
        : /<html|<!DOCTYPE|\bat .+\(.+:\d+:\d+\)|\/work\/|node_modules|\.ts:\d+/i.test(outcome.text)
          ? 'a stack trace, HTML or a file path'
          : undefined;
  if (!problem) return;
  const message = `${what} gave ${problem}: ${outcome.text.slice(0, 300)}`;
  // FUZZ_COLLECT=1 lists every distinct failure instead of stopping at the first (for triage).
  if (process.env.FUZZ_COLLECT) failures.set(`${what.replace(/\/[0-9a-f-]{36}|\/[^/]*$/g, '/…')} ${problem}`, message);
  else throw new Error(message);
}
const failures = new Map<string, string>();

const tally = new Map<string, number>();
function record(surface: string, status: number): void {
  const key = `${surface} ${status}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

async function outcomeOf(request: supertest.Test): Promise<Outcome> {
  const res = await request.buffer(true).parse((r, done) => {
    let text = '';
    r.setEncoding('utf8');
    r.on('data', (chunk: string) => (text += chunk));
    r.on('end', () => done(null, text));
  });
  return { status: res.status, contentType: String(res.headers['content-type'] ?? ''), text: typeof res.body === 'string' ? res.body : '' };
}

/** encodeURIComponent, but a lone surrogate becomes its (invalid) CESU-8 bytes instead of throwing. */
function encodePathSegment(value: string): string {
  return Array.from(value, (ch) => {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff)
      return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    return encodeURIComponent(ch);
  }).join('');
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
interface Operation {
  method: Method;
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[] | null;
  management: boolean;
}

function operationsOf(document: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } }): Operation[] {
  const resolve = (schema: any): any => (schema?.$ref ? document.components.schemas[String(schema.$ref).split('/').pop()!] : schema);
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const parameters: { name: string; in: string }[] = op.parameters ?? [];
      const bodySchema = resolve(op.requestBody?.content?.['application/json']?.schema);
      operations.push({
        method: method as Method,
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyFields: bodySchema ? Object.keys(bodySchema.properties ?? {}) : null,
        management: path.startsWith('/v1/management'),
      });
    }
  }
  return operations;
}

describe('fuzz: hostile input never crashes the server or leaks internals', () => {
  let gw: TestGateway;
  let w: World;
  let tokens: string[];
  let ids: string[];
  let schema: GraphQLSchema;
  let app: { id: string; clientId: string; clientSecret: string };

  beforeAll(async () => {
    gw = await startTestGateway();
    const su = await gw.superToken();
    w = await buildWorld(gw);
    const ann = await createUser(gw, su, w.t1a, 'ann@t1a.test');
    const team = await createGroup(gw, su, w.t1a, 'Team');
    await addMember(gw, su, w.t1a, team, ann);
    await assignUser(gw, su, w.t1a, ann, w.apps.global);
    await assignGroup(gw, su, w.t1a, team, w.apps.t1a);
    app = await createApplication(gw, su, { name: 'Fuzzed client', scope: 'TENANT', tenantId: w.t1a, applicationType: 'service' });
    tokens = [
      su,
      await gw.token({ sub: 'pa', role: 'partner_admin', partner_id: w.p1, scope: 'admin:read admin:write' }),
      await gw.token({ sub: 'ta', role: 'tenant_admin', tenant_id: w.t1a, scope: 'admin:read admin:write' }),
    ];
    ids = [w.p1, w.p2, w.t1a, w.t1b, w.t2, w.t0, ann, team, app.id, ...Object.values(w.apps)];
    const introspection = await gw.http.post('/graphql').set('authorization', `Bearer ${su}`).send({ query: getIntrospectionQuery() });
    schema = buildClientSchema(introspection.body.data as IntrospectionQuery);
  });

  afterAll(async () => {
    if (process.env.FUZZ_REPORT) {
      const lines = [...tally.entries()].sort().map(([key, n]) => `  ${key}: ${n}`);
      const total = [...tally.values()].reduce((a, b) => a + b, 0);
      process.stderr.write(`fuzz seed ${SEED}: ${total} requests\n${lines.join('\n')}\n`);
      if (failures.size) process.stderr.write(`${failures.size} distinct failures:\n${[...failures.values()].map((m) => `  - ${m.replace(/\s+/g, ' ')}`).join('\n')}\n`);
    }
    await gw?.close();
  });

  const fcOptions = (numRuns: number) => ({ seed: SEED, numRuns, endOnFailure: true });
  const pick = <T>(values: T[]) => fc.constantFrom(...values);

  it('every REST operation of /openapi.json', async () => {
    const document = (await gw.http.get('/openapi.json').expect(200)).body;
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThanOrEqual(43);
    const pathValue = fc.oneof({ weight: 3, arbitrary: pick(ids) }, { weight: 2, arbitrary: hostileString });
    const request = fc.record({
      operation: pick(operations),
      token: fc.oneof({ weight: 6, arbitrary: pick(tokens) }, { weight: 1, arbitrary: hostileString }),
      pathValues: fc.array(pathValue, { minLength: 4, maxLength: 4 }),
      rawPathSuffix: fc.option(pick(['%', '%zz', '%00', '%E0%A4%A', '%ud800', '/..', '%2F'])),
      query: fc.dictionary(
        fc.oneof(
          pick(['page', 'per_page', 'search', 'tenant_id', 'partner_id', 'scope', 'status', 'application_type', 'include_group_assignments', 'cursor']),
          fc.string({ maxLength: 8 }),
        ),
        hostileValue.map((v) => (typeof v === 'object' ? toJson(v) : String(v))),
        { maxKeys: 3 },
      ),
      body: fc.oneof(
        { weight: 5, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), hostileValue, { maxKeys: 2 }) },
        { weight: 4, arbitrary: fc.constant('fields') },
        { weight: 1, arbitrary: deepJson },
        { weight: 1, arbitrary: pick(['{', '{"a":', '[1,2', 'null', '"x"', '\u0000', '{"name":"\\ud800"}', '{"name":"a\\u0000b"}']) },
      ),
      fieldValues: fc.array(hostileValue, { minLength: 12, maxLength: 12 }),
      contentType: pick(['application/json', 'application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']),
      tenantHeader: fc.option(fc.oneof(pick(ids), hostileString)),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        let path = r.operation.path;
        r.operation.pathParams.forEach((name, i) => (path = path.replace(`{${name}}`, encodePathSegment(String(r.pathValues[i])))));
        if (r.rawPathSuffix) path = path.replace(/\/?$/, `/${r.rawPathSuffix}`);
        const query = new URLSearchParams(r.query).toString();
        let req = gw.http[r.operation.method](query ? `${path}?${query}` : path);
        if (typeof r.token === 'string' && tokens.includes(r.token)) req = req.set('authorization', `Bearer ${r.token}`);
        else if (typeof r.token === 'string' && !/[\u0000-\u001f\u007f-\uffff]/.test(r.token)) req = req.set('authorization', `Bearer ${r.token}`);
        if (r.operation.management && typeof r.tenantHeader === 'string' && !/[\u0000-\u001f\u007f-\uffff]/.test(r.tenantHeader)) req = req.set('x-tenant-id', r.tenantHeader);
        if (r.operation.method !== 'get' && r.operation.method !== 'delete') {
          req = req.set('content-type', r.contentType);
          if (r.body === 'fields') {
            const fields = Object.fromEntries((r.operation.bodyFields ?? []).map((name, i) => [name, r.fieldValues[i % r.fieldValues.length]]));
            req = req.send(toJson(fields));
          } else req = req.send(typeof r.body === 'string' ? r.body : toJson(r.body));
        }
        const outcome = await outcomeOf(req);
        record('rest', outcome.status);
        expectSafe(outcome, `${r.operation.method.toUpperCase()} ${path}`);
      }),
      fcOptions(runs(600)),
    );
  });

  /** A GraphQL literal of roughly the right type, or something hostile. */
  function literalArbitrary(type: GraphQLInputType, depth = 0): fc.Arbitrary<string> {
    const hostile = hostileValue.map((v) => (v instanceof DeepJson ? `${'{a: '.repeat(v.depth)}1${'}'.repeat(v.depth)}` : (JSON.stringify(v) ?? 'null')));
    if (isNonNullType(type)) return literalArbitrary(type.ofType, depth);
    if (isListType(type)) return fc.array(literalArbitrary(type.ofType, depth + 1), { maxLength: 2 }).map((items) => `[${items.join(', ')}]`);
    const named = getNamedType(type);
    if (isEnumType(named)) return fc.oneof(pick(named.getValues().map((v) => v.name)), pick(['global', 'NOPE', '"GLOBAL"']));
    if (isInputObjectType(named) && depth < 3) {
      const fields = Object.values(named.getFields());
      return fc.tuple(...fields.map((f) => fc.option(literalArbitrary(f.type, depth + 1), { freq: 3 }))).map(
        (values) =>
          `{ ${fields
            .map((f, i) => (values[i] === null ? '' : `${f.name}: ${values[i]}`))
            .filter(Boolean)
            .join(', ')} }`,
      );
    }
    if (isScalarType(named) && named.name === 'ID')
      return fc.oneof(
        pick(ids).map((id) => JSON.stringify(id)),
        hostile,
      );
    return fc.oneof(hostile, fc.constantFrom('1', '-1', '100000', '"x"', 'true', 'null'));
  }

  /** A selection of the return type's scalar leaves (or just __typename). */
  function selectionOf(fieldType: Parameters<typeof getNamedType>[0]): string {
    const named = getNamedType(fieldType);
    if (!isObjectType(named)) return '';
    const leaves = Object.values(named.getFields())
      .filter((f) => isScalarType(getNamedType(f.type)) && f.args.length === 0)
      .map((f) => f.name)
      .slice(0, 4);
    const items = named.getFields().items ? ` items { __typename ${isObjectType(getNamedType(named.getFields().items.type)) ? 'id' : ''} }` : '';
    return `{ __typename ${leaves.join(' ')}${items} }`;
  }

  it('every GraphQL root field, with literals and with variables', async () => {
    const roots = [
      ...Object.values(schema.getQueryType()!.getFields()).map((field) => ({ kind: 'query' as const, field })),
      ...Object.values(schema.getMutationType()!.getFields()).map((field) => ({ kind: 'mutation' as const, field })),
    ];
    expect(roots.length).toBeGreaterThan(30);
    const call = fc.oneof(
      ...roots.map(({ kind, field }) =>
        fc.record({
          kind: fc.constant(kind),
          name: fc.constant(field.name),
          args: fc.tuple(...field.args.map((a) => fc.option(literalArbitrary(a.type), { freq: 4 })), fc.constant(null)),
          argNames: fc.constant(field.args.map((a) => a.name)),
          selection: fc.constant(selectionOf(field.type)),
          viaVariables: fc.boolean(),
          variableValues: fc.array(hostileValue, { minLength: field.args.length, maxLength: field.args.length }),
          argTypes: fc.constant(field.args.map((a) => String(a.type))),
        }),
      ),
    );
    const token = fc.oneof({ weight: 6, arbitrary: pick(tokens) }, { weight: 1, arbitrary: fc.constant('') });
    await fc.assert(
      fc.asyncProperty(call, token, async (c, bearer) => {
        let body: Record<string, unknown>;
        if (c.viaVariables && c.argNames.length) {
          const declared = c.argNames.map((n, i) => `$${n}: ${c.argTypes[i]}`).join(', ');
          const used = c.argNames.map((n) => `${n}: $${n}`).join(', ');
          body = { query: `${c.kind} (${declared}) { ${c.name}(${used}) ${c.selection} }`, variables: Object.fromEntries(c.argNames.map((n, i) => [n, c.variableValues[i]])) };
        } else {
          const args = c.argNames.map((n, i) => (c.args[i] === null ? '' : `${n}: ${c.args[i]}`)).filter(Boolean);
          body = { query: `${c.kind} { ${c.name}${args.length ? `(${args.join(', ')})` : ''} ${c.selection} }` };
        }
        let req = gw.http.post('/graphql').set('content-type', 'application/json');
        if (bearer) req = req.set('authorization', `Bearer ${bearer}`);
        const outcome = await outcomeOf(req.send(toJson(body)));
        record('graphql', outcome.status);
        expectSafe(outcome, `GraphQL ${c.name}`);
      }),
      fcOptions(runs(600)),
    );
  });

  it('malformed GraphQL documents and bodies', async () => {
    const documents = fc.oneof(
      pick(['{', '}', '{ tenants {', 'query {', 'subscription { me { id } }', '{ __typename', '"', '#', 'query q($a: ) { me { id } }', '{ tenant(id: "\u0000") { id } }']),
      fc.string({ maxLength: 60 }),
      fc.constantFrom(2_000, 20_000).map((n) => `{ ${'__typename '.repeat(n)} }`),
      fc.constantFrom(1_600, 5_000).map((n) => `{ tenants(search: ${'{a:'.repeat(n)}1${'}'.repeat(n)}) { items { id } } }`),
      fc.constantFrom(200, 1_000).map((n) => `${'{ a '.repeat(n)}${'}'.repeat(n)}`),
    );
    const bodies = fc.oneof(
      documents.map((query) => JSON.stringify({ query })),
      documents.map((query) => JSON.stringify({ query, variables: '{"x":' })),
      documents.map((query) => JSON.stringify({ query: '{ me { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: query.slice(0, 64) } } })),
      pick(['{', '[]', '[{"query":"{ me { id } }"}]', 'null', '""', '{"query": 1}', '{"query": null}', '\u0000', '{"query":"{ me { id } }","variables":[]}']),
      deepJson.map((v) => toJson({ query: 'query($x: String) { me { id } }', variables: { x: v } })),
    );
    const method = pick(['post', 'post', 'post', 'get']);
    await fc.assert(
      fc.asyncProperty(bodies, method, pick(tokens), async (body, m, bearer) => {
        const req =
          m === 'get'
            ? gw.http.get(`/graphql?query=${encodeURIComponent(body)}`).set('apollo-require-preflight', 'true')
            : gw.http.post('/graphql').set('content-type', 'application/json').send(body);
        const outcome = await outcomeOf(req.set('authorization', `Bearer ${bearer}`));
        record('graphql-raw', outcome.status);
        expectSafe(outcome, `GraphQL body ${body.slice(0, 80)}`);
      }),
      fcOptions(runs(200)),
    );
  });

  it('/oauth/token with hostile forms, JSON and Basic credentials', async () => {
    const field = fc.oneof({ weight: 2, arbitrary: hostileString }, { weight: 1, arbitrary: fc.constantFrom(app.clientId, app.clientSecret, 'client_credentials') });
    const attempt = fc.record({
      encoding: pick(['form', 'json', 'basic', 'raw']),
      grantType: fc.oneof(fc.constant('client_credentials'), hostileString),
      clientId: field,
      clientSecret: field,
      raw: fc.oneof(pick(['{', 'a=%', 'grant_type=%zz', '\u0000', '%E0%A4%A', 'client_id=%00&client_secret=%00&grant_type=client_credentials']), fc.string({ maxLength: 50 })),
    });
    await fc.assert(
      fc.asyncProperty(attempt, async (a) => {
        let req = gw.http.post('/oauth/token');
        if (a.encoding === 'form') req = req.type('form').send(new URLSearchParams({ grant_type: a.grantType, client_id: a.clientId, client_secret: a.clientSecret }).toString());
        else if (a.encoding === 'json')
          req = req.set('content-type', 'application/json').send(JSON.stringify({ grant_type: a.grantType, client_id: a.clientId, client_secret: a.clientSecret }));
        else if (a.encoding === 'basic') {
          const credentials = Buffer.from(`${a.clientId}:${a.clientSecret}`, 'utf8').toString('base64');
          req = req
            .set('authorization', `Basic ${credentials}`)
            .type('form')
            .send(`grant_type=${encodePathSegment(a.grantType)}`);
        } else req = req.set('content-type', 'application/x-www-form-urlencoded').send(a.raw);
        const outcome = await outcomeOf(req);
        record('oauth', outcome.status);
        expectSafe(outcome, `/oauth/token (${a.encoding})`);
      }),
      fcOptions(runs(150)),
    );
  });

  it('the server and its database are healthy afterwards', async () => {
    await gw.http.get('/healthz').expect(200);
    await gw.http.get('/readyz').expect(200);
    // The fuzzed mutations may have deleted the world: check with rows made now.
    const su = tokens[0];
    const tenant = (await gw.http.post('/api/v1/admin/tenants/').set('authorization', `Bearer ${su}`).send({ name: 'After the fuzz' }).expect(201)).body.data.id;
    const global = await createApplication(gw, su, { name: 'After the fuzz', scope: 'GLOBAL' });
    const zoe = await createUser(gw, su, tenant, 'zoe@after.test');
    await assignUser(gw, su, tenant, zoe, global.id);
    const res = await gw.http
      .post('/graphql')
      .set('authorization', `Bearer ${su}`)
      .send({ query: 'query($a: ID!) { application(id: $a) { effectiveUsers { items { email } } } }', variables: { a: global.id } })
      .expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.application.effectiveUsers.items).toEqual([{ email: 'zoe@after.test' }]);
  });
});
