import { startTestGateway, type TestGateway } from './support/harness.js';

/**
 * `POST /graphql` is served by the fast path (src/http/graphql-endpoint.ts) and any other /graphql
 * request by the Express app, through the same handlers. A query string is enough to send a POST to
 * the app (the fast path takes `/graphql` exactly; Apollo ignores the query string of a POST), so
 * each request below goes both ways and must get the same answer.
 */
describe('POST /graphql: the fast path answers as the Express app does', () => {
  let gw: TestGateway;
  let su: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
  });
  afterAll(() => gw.close());

  type Send = (path: string) => ReturnType<TestGateway['http']['post']>;
  const bothWays = async (send: Send) => {
    const fast = await send('/graphql');
    const app = await send('/graphql?via=app');
    const seen = (res: typeof fast) => ({
      status: res.status,
      body: res.text,
      contentType: res.headers['content-type'],
      contentLength: res.headers['content-length'],
      challenge: res.headers['www-authenticate'],
      etag: res.headers.etag,
    });
    expect(seen(fast)).toEqual(seen(app));
    expect(fast.headers['x-request-id']).toEqual(expect.any(String));
    return fast;
  };

  it('answers a query, with a request id and no ETag', async () => {
    const res = await bothWays((path) => gw.http.post(path).set('authorization', `Bearer ${su}`).send({ query: '{ __typename me { kind } }' }));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ __typename: 'Query', me: { kind: 'super_admin' } });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers.etag).toBeUndefined();
  });

  it('echoes a sane X-Request-Id', async () => {
    const res = await gw.http.post('/graphql').set('authorization', `Bearer ${su}`).set('x-request-id', 'fast-path-1').send({ query: '{ __typename }' });
    expect(res.headers['x-request-id']).toBe('fast-path-1');
  });

  it('answers 401 with the bearer challenge, with or without a token', async () => {
    const none = await bothWays((path) => gw.http.post(path).send({ query: '{ tenants { items { id } } }' }));
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="idgraph"');
    const bad = await bothWays((path) => gw.http.post(path).set('authorization', 'Bearer not.a.token').send({ query: '{ tenants { items { id } } }' }));
    expect(bad.status).toBe(401);
    expect(bad.headers['www-authenticate']).toBe('Bearer realm="idgraph", error="invalid_token"');
  });

  it('refuses bodies that are not JSON, malformed, empty or too large, in GraphQL error shape', async () => {
    const auth = { authorization: `Bearer ${su}` };
    const plain = await bothWays((path) => gw.http.post(path).set(auth).set('content-type', 'text/plain').send('{ __typename }'));
    expect(plain.status).toBe(400);
    expect(plain.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    const malformed = await bothWays((path) => gw.http.post(path).set(auth).set('content-type', 'application/json').send('{"query": '));
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    const empty = await bothWays((path) => gw.http.post(path).set(auth).set('content-type', 'application/json').send(''));
    expect(empty.status).toBe(400);
    const large = await bothWays((path) =>
      gw.http
        .post(path)
        .set(auth)
        .send({ query: '{ __typename }', variables: { padding: 'x'.repeat(1_100_000) } }),
    );
    expect(large.status).toBe(413);
    expect(large.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a document nested too deep before parsing it', async () => {
    const deep = `query Deep($v: [String] = ${'['.repeat(70)}"x"${']'.repeat(70)}) { __typename }`;
    const res = await bothWays((path) => gw.http.post(path).set('authorization', `Bearer ${su}`).send({ query: deep }));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('counts fast-path requests in the metrics under the /graphql route', async () => {
    const before = await gw.http.get('/metrics');
    const count = (text: string) => Number(/idgraph_http_requests_total\{surface="graphql",route="\/graphql",method="POST",status="200"\} (\d+)/.exec(text)?.[1] ?? 0);
    await gw.http.post('/graphql').set('authorization', `Bearer ${su}`).send({ query: '{ __typename }' }).expect(200);
    await gw.http.post('/graphql').set('authorization', `Bearer ${su}`).send({ query: '{ __typename }' }).expect(200);
    const after = await gw.http.get('/metrics');
    expect(count(after.text) - count(before.text)).toBe(2);
  });
});
