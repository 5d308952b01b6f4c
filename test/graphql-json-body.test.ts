import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { startTestGateway, type TestGateway } from './support/harness.js';

/**
 * POST /graphql bodies (src/http/json-body.ts): plain UTF-8 JSON with a Content-Length is read by the
 * gateway itself, everything else by express.json. Both must accept what a client may send and refuse
 * the rest in GraphQL's error shape, the fast path and the Express app alike (`?via=app` goes to the app).
 */
describe('POST /graphql bodies', () => {
  let gw: TestGateway;
  let su: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
    server = createServer(gw.gateway.listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await gw.close();
  });

  const query = JSON.stringify({ query: '{ __typename }' });
  const post = (path: string, body: string | Buffer, headers: Record<string, string>) =>
    gw.http
      .post(path)
      .set({ authorization: `Bearer ${su}`, ...headers })
      .send(body);

  it.each(['/graphql', '/graphql?via=app'])('accepts the spellings of JSON a client sends (%s)', async (path) => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON', 'application/json; charset="utf-8"']) {
      const res = await post(path, query, { 'content-type': type });
      expect({ type, status: res.status, data: res.body.data }).toEqual({ type, status: 200, data: { __typename: 'Query' } });
    }
  });

  it.each(['/graphql', '/graphql?via=app'])('reads a byte order mark, a body in many chunks, gzip and chunked bodies (%s)', async (path) => {
    const bom = await rawPost(port, path, su, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(query)]), {});
    expect(bom).toMatch(/^HTTP\/1\.1 200 /);
    expect(bom).toContain('{"data":{"__typename":"Query"}');
    // ~600 KB of variables the operation does not declare (multi-byte characters split across network
    // chunks), below the 1 MB limit.
    const big = JSON.stringify({ query: '{ __typename }', variables: { pad: Array.from({ length: 60 }, () => 'é'.repeat(5_000)) } });
    const many = await post(path, big, { 'content-type': 'application/json' });
    expect(many.status).toBe(200);
    expect(many.body.data).toEqual({ __typename: 'Query' });
    const gzip = await rawPost(port, path, su, gzipSync(query), { 'Content-Encoding': 'gzip' });
    expect(gzip).toMatch(/^HTTP\/1\.1 200 /);
    expect(gzip).toContain('{"data":{"__typename":"Query"}');
    const chunked = await rawRequest(
      port,
      `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${su}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n` +
        `${Buffer.byteLength(query).toString(16)}\r\n${query}\r\n0\r\n\r\n`,
    );
    expect(chunked).toMatch(/^HTTP\/1\.1 200 /);
    expect(chunked).toContain('{"data":{"__typename":"Query"}');
  });

  it.each(['/graphql', '/graphql?via=app'])('refuses JSON that is not an object or array, broken JSON and unknown charsets or encodings (%s)', async (path) => {
    for (const body of ['"x"', '42', 'null', 'true', '{"query": "{ __typename }"', '{"query": "{ __typename }"} x']) {
      const res = await post(path, body, { 'content-type': 'application/json' });
      expect({ body, status: res.status, code: res.body.errors?.[0]?.extensions?.code }).toEqual({ body, status: 400, code: 'BAD_REQUEST' });
      expect(res.body.errors[0].message).toEqual(expect.any(String));
    }
    const latin1 = await post(path, query, { 'content-type': 'application/json; charset=latin1' });
    expect(latin1.status).toBe(415);
    expect(latin1.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    const brotliClaimed = await post(path, query, { 'content-type': 'application/json', 'content-encoding': 'compress' });
    expect(brotliClaimed.status).toBe(415);
    const tooLarge = await post(path, JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1_048_576) } }), { 'content-type': 'application/json' });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('survives a client that sends less than its Content-Length and goes away', async () => {
    for (const path of ['/graphql', '/graphql?via=app']) {
      await rawRequest(
        port,
        `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${su}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query": "{ __typ`,
        { endAfterWrite: true },
      );
    }
    const after = await post('/graphql', query, { 'content-type': 'application/json' });
    expect(after.body.data).toEqual({ __typename: 'Query' });
  });
});

/** A POST with a JSON content type and `body` as its bytes (supertest would send a Buffer as JSON of its own). */
function rawPost(port: number, path: string, token: string, body: Buffer, headers: Record<string, string>): Promise<string> {
  const head = Object.entries({
    Host: 'x',
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
    'Content-Length': String(body.length),
    Connection: 'close',
    ...headers,
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return rawRequest(port, Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\n${head}\r\n`), body]));
}

/** Sends raw bytes and collects what comes back until the server closes (or, with `endAfterWrite`, until this side's close settles). */
function rawRequest(port: number, bytes: string | Buffer, options: { endAfterWrite?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.write(bytes, () => {
      if (options.endAfterWrite) setTimeout(() => socket.destroy(), 50);
    });
  });
}
