import { codeOf, ok, startTestGateway, type TestGateway } from './support/harness.js';
import { getIntrospectionQuery, isEnumType, isNonNullType, parse, typeFromAST, type GraphQLInputType, type OperationDefinitionNode } from 'graphql';
import { analyzeOperation, DEFAULT_MAX_COST } from '../src/graphql/cost.js';
import { buildSchema } from '../src/graphql/schema.js';
import { routes } from '../src/rest/routes.js';
import { addMember, assignUser, createApplication, createGroup, createTenant, createUser } from './support/world.js';

/**
 * Issue 8 (hardening), GraphQL edge: the attack run's findings 1, 5, 8 and the GraphQL part of 10,
 * one regression test each, through POST /graphql (and REST where it shares the rule).
 */

/** Finding 1: effective users → their tenant → its users → their groups → members, 100 a page. */
const AMPLIFICATION = `query($a: ID!) {
  application(id: $a) {
    effectiveUsers(perPage: 100) { items { tenant { users(perPage: 100) { items { groups { members(perPage: 100) { items { email } } } } } } } }
  }
}`;
/** 1 + 1 + 100 × (1 + 1 + 1 + 100 × (1 + 1 + 20 × (1 + 100 × (1 + 1)))): see src/graphql/cost.ts. */
const AMPLIFICATION_COST = 40_220_302;

describe('GraphQL edge hardening', () => {
  let gw: TestGateway;
  let su: string;
  let admin: string;
  let tenant: string;
  let app: string;
  const users: string[] = [];

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    tenant = await createTenant(gw, su, 'Amplified');
    admin = await gw.token({ sub: 'amplified-admin', role: 'tenant_admin', tenant_id: tenant, scope: 'admin:read admin:write' });
    app = (await createApplication(gw, su, { name: 'Everyone', scope: 'GLOBAL' })).id;
    const groups = [await createGroup(gw, su, tenant, 'Red'), await createGroup(gw, su, tenant, 'Blue')];
    for (let i = 0; i < 6; i += 1) {
      const user = await createUser(gw, su, tenant, `user${i}@amplified.test`);
      users.push(user);
      await assignUser(gw, su, tenant, user, app);
      await addMember(gw, su, tenant, groups[i % 2], user);
    }
  }, 120000);
  afterAll(() => gw.close());

  describe('finding 1: cost counts page sizes, and the bill comes before any SQL', () => {
    it('refuses the amplification query with COST_LIMIT_EXCEEDED, its cost and the maximum, before any SQL of its own', async () => {
      // A tenant admin's token is checked against its tenant, then remembered for a while (src/auth/admin-rows.ts):
      // that lookup is all the SQL there may be, and the baseline is taken as the refused query will run.
      await gw.gql('{ me { kind } }', {}, admin);
      const baseline = await gw.gql('{ me { kind } }', {}, admin);
      const res = await gw.gql(AMPLIFICATION, { a: app }, admin);
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
      expect(res.errors).toEqual([
        {
          message: `Query cost ${AMPLIFICATION_COST} exceeds the maximum cost of ${DEFAULT_MAX_COST}: ask for fewer items per page or nest fewer lists.`,
          extensions: { code: 'COST_LIMIT_EXCEEDED', cost: AMPLIFICATION_COST, maxCost: DEFAULT_MAX_COST },
        },
      ]);
      expect(res.sqlStatements).toBe(baseline.sqlStatements);
      const asSuper = await gw.gql(AMPLIFICATION, { a: app }, su);
      expect(codeOf(asSuper)).toBe('COST_LIMIT_EXCEEDED');
      expect(asSuper.sqlStatements).toBe(0);
    });

    it('prices variables: the same shape passes with small pages and is refused with large ones', async () => {
      const doc = `query($a: ID!, $n: Int!) {
        application(id: $a) { effectiveUsers(perPage: $n) { items { tenant { users(perPage: $n) { items { groups { members(perPage: $n) { items { email } } } } } } } } }
      }`;
      const small = ok(await gw.gql(doc, { a: app, n: 3 }, admin));
      expect(small.application.effectiveUsers.items).toHaveLength(3);
      const large = await gw.gql(doc, { a: app, n: 20 }, admin);
      expect(large.status).toBe(400);
      expect(codeOf(large)).toBe('COST_LIMIT_EXCEEDED');
      expect(large.errors![0].extensions).toMatchObject({ cost: expect.any(Number), maxCost: DEFAULT_MAX_COST });
    });

    it('prices fragments where they are spread', async () => {
      const doc = `query($a: ID!) { application(id: $a) { effectiveUsers(perPage: 100) { items { tenant { ...everyone } } } } }
        fragment everyone on Tenant { users(perPage: 100) { items { groups { members(perPage: 100) { items { email } } } } } }`;
      expect(codeOf(await gw.gql(doc, { a: app }, admin))).toBe('COST_LIMIT_EXCEEDED');
    });

    it('honours GRAPHQL_MAX_COST', async () => {
      const strict = await startTestGateway({ GRAPHQL_MAX_COST: '10' });
      try {
        const token = await strict.superToken();
        expect(codeOf(await strict.gql('{ tenants { items { id } } }', {}, token))).toBe('COST_LIMIT_EXCEEDED');
        expect(ok(await strict.gql('{ me { kind } }', {}, token)).me.kind).toBe('super_admin');
      } finally {
        await strict.close();
      }
    });

    it('loads the tenant repeated under every effective user once: statements do not grow with the users', async () => {
      const doc = `query($a: ID!, $n: Int!) { application(id: $a) { effectiveUsers(perPage: $n) { items { email tenant { name users(perPage: 3) { items { email } } } } } } }`;
      const one = await gw.gql(doc, { a: app, n: 1 }, su);
      const six = await gw.gql(doc, { a: app, n: 6 }, su);
      expect(ok(six).application.effectiveUsers.items).toHaveLength(6);
      expect(six.sqlStatements).toBe(one.sqlStatements);
    });

    it('lets the standard introspection query through (playground, code generators) and refuses nested introspection', async () => {
      const standard = await gw.gql(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }), {}, su);
      expect(standard.errors).toBeUndefined();
      expect(standard.data.__schema.types.length).toBeGreaterThan(20);
      const nested = await gw.gql('{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }', {}, su);
      // Apollo's own introspection-depth rule or the cost limit, whichever comes first.
      expect(['GRAPHQL_VALIDATION_FAILED', 'COST_LIMIT_EXCEEDED']).toContain(codeOf(nested));
      expect(nested.status).toBe(400);
      const wide = await gw.gql('{ __schema { types { fields { type { fields { args { type { fields { name } } } } } } } } }', {}, su);
      expect(wide.status).toBe(400);
    });

    it('never prices a REST route (a single page of at most 100) over the limit', () => {
      const schema = buildSchema();
      const sample = (type: GraphQLInputType): unknown => {
        const named = isNonNullType(type) ? type.ofType : type;
        if (isEnumType(named)) return named.getValues()[0].value;
        return { ID: '00000000-0000-4000-8000-000000000000', Int: 100, String: 'x', Boolean: true }[String(named)];
      };
      const priced = routes
        .filter((route) => route.method === 'get')
        .map((route) => {
          const document = parse(route.document);
          const operation = document.definitions[0] as OperationDefinitionNode;
          const variables = Object.fromEntries(
            (operation.variableDefinitions ?? []).map((v) => [v.variable.name.value, sample(typeFromAST(schema, v.type as never) as GraphQLInputType)]),
          );
          return { path: route.path, cost: analyzeOperation(schema, document, undefined, variables).cost };
        });
      expect(priced.length).toBeGreaterThan(10);
      expect(priced.filter(({ cost }) => cost > DEFAULT_MAX_COST)).toEqual([]);
    });
  });

  describe('finding 5: documents that do not parse are 400, never 500', () => {
    it('answers a syntax error with 400 GRAPHQL_PARSE_FAILED', async () => {
      const res = await gw.http.post('/graphql').set('authorization', `Bearer ${su}`).send({ query: '{' });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(res.body.errors[0].message).toMatch(/^Syntax Error/);
    });

    it('answers a document over the token limit with 400 GRAPHQL_PARSE_FAILED', async () => {
      const res = await gw.gql(`{ ${'me { kind } '.repeat(1300)} }`, {}, su);
      expect(res.status).toBe(400);
      expect(codeOf(res)).toBe('GRAPHQL_PARSE_FAILED');
      expect(res.errors![0].message).toMatch(/more th\w+ 5000 tokens/);
    });

    it('answers argument literals nested 1,600 deep with 400 GRAPHQL_PARSE_FAILED, objects and lists alike', async () => {
      const object = `{ tenants(search: ${'{ a: '.repeat(1600)}1${' }'.repeat(1600)}) { items { id } } }`;
      const list = `{ tenants(search: ${'['.repeat(1600)}1${']'.repeat(1600)}) { items { id } } }`;
      for (const query of [object, list]) {
        const res = await gw.gql(query, {}, su);
        expect(res.status).toBe(400);
        expect(codeOf(res)).toBe('GRAPHQL_PARSE_FAILED');
      }
      // Also when sent with GET.
      const res = await gw.http.get('/graphql').query({ query: list }).set('authorization', `Bearer ${su}`).set('accept', 'application/json');
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    });
  });

  describe('finding 10: the rest of the GraphQL surface', () => {
    it('refuses subscriptions with 400', async () => {
      const res = await gw.gql('subscription { me { kind } }', {}, su);
      expect(res.status).toBe(400);
      expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.errors![0].message).toMatch(/subscriptions are not supported/i);
    });

    it('answers persisted queries with Apollo’s codes: a hash mismatch is 400 BAD_REQUEST, an unknown hash PERSISTED_QUERY_NOT_FOUND', async () => {
      const post = (body: object) => gw.http.post('/graphql').set('authorization', `Bearer ${su}`).send(body);
      const mismatch = await post({ query: '{ me { kind } }', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.errors[0]).toMatchObject({ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } });
      const version = await post({ query: '{ me { kind } }', extensions: { persistedQuery: { version: 2, sha256Hash: '0'.repeat(64) } } });
      expect(version.status).toBe(400);
      expect(version.body.errors[0].extensions.code).toBe('BAD_REQUEST');
      const unknown = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: '1'.repeat(64) } } });
      expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    });

    it('suggests enum values and fields outside production only', async () => {
      const queries: [string, Record<string, unknown>][] = [
        ['{ applications(scope: GLOBA) { items { id } } }', {}],
        ['query($s: ApplicationScope) { applications(scope: $s) { items { id } } }', { s: 'GLOBA' }],
        ['{ applications { items { nam } } }', {}],
      ];
      for (const [query, variables] of queries) {
        const res = await gw.gql(query, variables, su);
        expect(res.status).toBe(400);
        expect(res.errors![0].message).toMatch(/Did you mean/);
      }
      const prod = await startTestGateway({ NODE_ENV: 'production' });
      try {
        const token = await prod.superToken();
        for (const [query, variables] of queries) {
          const res = await prod.gql(query, variables, token);
          expect(res.status).toBe(400);
          expect(res.errors![0].message).not.toMatch(/Did you mean|GLOBAL|name/);
        }
      } finally {
        await prod.close();
      }
    });

    it('counts __typename aliases against the alias limit', async () => {
      const aliases = Array.from({ length: 40 }, (_, i) => `t${i}: __typename`).join(' ');
      const res = await gw.gql(`{ ${aliases} }`, {}, su);
      expect(res.status).toBe(400);
      expect(res.errors![0].message).toMatch(/alias/i);
    });

    it('refuses a search over 200 characters with BAD_USER_INPUT naming the field, in GraphQL and REST', async () => {
      const long = 'x'.repeat(201);
      const root = await gw.gql('query($s: String) { tenants(search: $s) { items { id } } }', { s: long }, su);
      expect(root.status).toBe(400);
      expect(codeOf(root)).toBe('BAD_USER_INPUT');
      expect(root.errors![0].extensions.fields).toEqual([expect.objectContaining({ path: ['search'], type: 'string_too_long' })]);
      expect(root.sqlStatements).toBe(0);
      const nested = await gw.gql(`query($t: ID!) { tenant(id: $t) { users(search: "${long}") { items { id } } } }`, { t: tenant }, su);
      expect(codeOf(nested)).toBe('BAD_USER_INPUT');
      expect(nested.errors![0].message).toMatch(/Tenant\.users/);
      expect(ok(await gw.gql('query($s: String) { tenants(search: $s) { items { id } } }', { s: 'x'.repeat(200) }, su)).tenants.items).toEqual([]);

      const rest = await gw.http.get('/api/v1/admin/tenants/').query({ search: long }).set('authorization', `Bearer ${su}`);
      expect(rest.status).toBe(422);
      expect(rest.body.detail).toEqual([expect.objectContaining({ loc: ['query', 'search'], type: 'string_too_long' })]);
    });
  });

  describe('finding 8: metrics stay bounded whatever anonymous callers send', () => {
    const seriesOf = async (): Promise<string[]> => (await gw.http.get('/metrics').expect(200)).text.split('\n').filter((line) => line.startsWith('idgraph_graphql_operation'));

    it('adds no series for 500 requests with random operation names', async () => {
      const random = () => `Op${Math.random().toString(36).slice(2)}`;
      const requests = (name: string) => [
        // Unauthenticated, valid document.
        gw.http.post('/graphql').send({ query: `query ${name} { me { kind } }`, operationName: name }),
        // Authenticated, invalid document.
        gw.http
          .post('/graphql')
          .set('authorization', `Bearer ${su}`)
          .send({ query: `query ${name} { nope }`, operationName: name }),
        // Authenticated, name that matches no operation.
        gw.http.post('/graphql').set('authorization', `Bearer ${su}`).send({ query: '{ me { kind } }', operationName: name }),
        // Bad token.
        gw.http
          .post('/graphql')
          .set('authorization', 'Bearer nope')
          .send({ query: `query ${name} { me { kind } }` }),
        // Refused by the cost limit.
        gw.http
          .post('/graphql')
          .set('authorization', `Bearer ${su}`)
          .send({ query: AMPLIFICATION.replace('query(', `query ${name}(`), variables: { a: app } }),
      ];
      const unknown = await gw.http.post('/graphql').set('authorization', `Bearer ${su}`).send({ query: '{ me { kind } }', operationName: 'NoSuchOperation' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
      await Promise.all(requests('Warmup'));
      const before = await seriesOf();
      for (let i = 0; i < 100; i += 1) await Promise.all(requests(random()));
      const after = await seriesOf();
      expect(after.map((line) => line.replace(/ [\d.e+-]+$/, ''))).toEqual(before.map((line) => line.replace(/ [\d.e+-]+$/, '')));
      expect(after.join('\n')).not.toMatch(/operation="(Op|Warmup)/);
      expect(after.join('\n')).toContain('operation="invalid"');

      // An authenticated, valid, named operation is still labelled by its name.
      ok(await gw.gql('query KnownOperation { me { kind } }', {}, su));
      expect((await seriesOf()).join('\n')).toContain('operation="KnownOperation"');
    });
  });
});
