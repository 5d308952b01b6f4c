import { startTestGateway, type TestGateway } from './support/harness.js';
import { buildWorld, createApplication, type World } from './support/world.js';

/**
 * POST /oauth/token under attack (issue 8): rate limits per client id and per address (429 with
 * Retry-After), the same scrypt work for unknown and known clients (counted on /metrics, not timed),
 * a bounded secret-check queue (503 at once when full), and bad input as 400 invalid_request JSON.
 * Each test speaks from its own address (X-Forwarded-For; the gateway trusts its proxy) so that the
 * per-address budget of one test does not spill into another.
 */
describe('POST /oauth/token protection', () => {
  const FAILED_ATTEMPTS = 3;
  const REQUESTS_PER_ADDRESS = 6;
  let gw: TestGateway;
  let w: World;
  let a: { id: string; clientId: string; clientSecret: string };
  let b: { id: string; clientId: string; clientSecret: string };
  let nextAddress = 1;

  /** A fresh source address for each caller. */
  const address = () => `198.51.100.${nextAddress++}`;
  const form = (from: string, body: Record<string, string>) => gw.http.post('/oauth/token').set('x-forwarded-for', from).type('form').send(body);
  const credentials = (app: { clientId: string }, secret: string) => ({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: secret });

  /** `idgraph_<name>{<label>="<value>"}` on /metrics (0 when the series does not exist yet). */
  const metric = async (name: string, label: string, value: string): Promise<number> => {
    const text = (await gw.http.get('/metrics')).text;
    const line = text.split('\n').find((l) => l.startsWith(`${name}{${label}="${value}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  const secretChecks = async () => ({
    valid: await metric('idgraph_oauth_secret_checks_total', 'result', 'valid'),
    invalid: await metric('idgraph_oauth_secret_checks_total', 'result', 'invalid'),
    unknown_client: await metric('idgraph_oauth_secret_checks_total', 'result', 'unknown_client'),
  });

  beforeAll(async () => {
    gw = await startTestGateway({
      OAUTH_FAILED_ATTEMPTS_PER_CLIENT: String(FAILED_ATTEMPTS),
      OAUTH_REQUESTS_PER_ADDRESS: String(REQUESTS_PER_ADDRESS),
      OAUTH_SECRET_CHECK_CONCURRENCY: '1',
      OAUTH_SECRET_CHECK_QUEUE: '1',
    });
    const su = await gw.superToken();
    w = await buildWorld(gw);
    a = await createApplication(gw, su, { name: 'Guessed', scope: 'TENANT', tenantId: w.t1a, applicationType: 'service' });
    b = await createApplication(gw, su, { name: 'Bystander', scope: 'TENANT', tenantId: w.t1a, applicationType: 'service' });
  });
  afterAll(() => gw.close());

  it(`${FAILED_ATTEMPTS} wrong secrets for a client id → 429 with Retry-After for that client id, even with its right secret; another client still gets a token`, async () => {
    for (let i = 0; i < FAILED_ATTEMPTS; i++) {
      const res = await form(address(), credentials(a, `wrong-${i}`));
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 401, error: 'invalid_client' });
    }
    const checksBefore = await secretChecks();
    const limited = await form(address(), credentials(a, a.clientSecret));
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toContain('application/json');
    expect(limited.body).toEqual({ error: 'too_many_requests', error_description: expect.stringContaining('client') });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.headers['cache-control']).toBe('no-store');
    // Refused before any scrypt work.
    expect(await secretChecks()).toEqual(checksBefore);
    expect(await metric('idgraph_oauth_refusals_total', 'reason', 'client_rate_limit')).toBe(1);

    const other = await form(address(), credentials(b, b.clientSecret));
    expect(other.status).toBe(200);
    expect(other.body.token_type).toBe('Bearer');
  });

  it('successful authentications do not use up the failed-attempt budget', async () => {
    const c = await createApplication(gw, await gw.superToken(), { name: 'Busy but honest', scope: 'GLOBAL', applicationType: 'service' });
    for (let i = 0; i < FAILED_ATTEMPTS + 2; i++) {
      expect((await form(address(), credentials(c, c.clientSecret))).status).toBe(200);
    }
  });

  it(`${REQUESTS_PER_ADDRESS} requests from one address → the next is 429 with Retry-After; another address is served`, async () => {
    const from = address();
    for (let i = 0; i < REQUESTS_PER_ADDRESS; i++) {
      // Any request counts, whatever its outcome.
      const res = await form(from, i % 2 ? credentials(b, b.clientSecret) : { grant_type: 'client_credentials' });
      expect(res.status).toBe(i % 2 ? 200 : 400);
    }
    const limited = await form(from, credentials(b, b.clientSecret));
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: 'too_many_requests', error_description: expect.stringContaining('address') });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await form(address(), credentials(b, b.clientSecret))).status).toBe(200);
  });

  it('an unknown client id costs one secret check like a known one with a wrong secret (same work, same answer)', async () => {
    const before = await secretChecks();
    const unknown = await form(address(), { grant_type: 'client_credentials', client_id: 'idg_ffffffffffffffffffffffff', client_secret: 'guess' });
    const afterUnknown = await secretChecks();
    const wrong = await form(address(), credentials(b, 'guess'));
    const afterWrong = await secretChecks();

    expect(afterUnknown).toEqual({ ...before, unknown_client: before.unknown_client + 1 });
    expect(afterWrong).toEqual({ ...afterUnknown, invalid: afterUnknown.invalid + 1 });
    expect({ status: unknown.status, body: unknown.body, auth: unknown.headers['www-authenticate'] }).toEqual({
      status: wrong.status,
      body: wrong.body,
      auth: wrong.headers['www-authenticate'],
    });
    expect(unknown.status).toBe(401);
  });

  it('a full secret-check queue → 503 temporarily_unavailable with Retry-After at once, without queueing; served again once it drains', async () => {
    const { checker } = gw.gateway.oauthProtection;
    const d = await createApplication(gw, await gw.superToken(), { name: 'Patient', scope: 'GLOBAL', applicationType: 'service' });
    // Occupy the one running slot and the one queue place (OAUTH_SECRET_CHECK_CONCURRENCY=1, OAUTH_SECRET_CHECK_QUEUE=1).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const running = checker.run(() => held);
    const queued = checker.run(async () => undefined);
    expect(checker.load).toEqual({ running: 1, queued: 1 });
    const checksBefore = await secretChecks();

    const refused = await form(address(), credentials(b, b.clientSecret));
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    expect(refused.headers['retry-after']).toBe('1');
    expect(await secretChecks()).toEqual(checksBefore);
    expect(await metric('idgraph_oauth_refusals_total', 'reason', 'busy')).toBe(1);
    // The refused request did not wait in the queue.
    expect(checker.load).toEqual({ running: 1, queued: 1 });
    // Refusals before the check do not spend the client's failed-attempt budget.
    for (let i = 0; i < FAILED_ATTEMPTS; i++) expect((await form(address(), credentials(d, d.clientSecret))).status).toBe(503);

    release();
    await Promise.all([running, queued]);
    expect(checker.load).toEqual({ running: 0, queued: 0 });
    expect((await form(address(), credentials(b, b.clientSecret))).status).toBe(200);
    expect((await form(address(), credentials(d, d.clientSecret))).status).toBe(200);
  });

  it('concurrent guesses beyond the queue are refused with 503, never answered with a 5xx page', async () => {
    const c = await createApplication(gw, await gw.superToken(), { name: 'Flooded', scope: 'GLOBAL', applicationType: 'service' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => form(address(), credentials(c, 'guess'))));
    for (const res of answers) {
      expect(res.headers['content-type']).toContain('application/json');
      expect([401, 429, 503]).toContain(res.status);
    }
  });

  const basic = (raw: string | Buffer) => `Basic ${(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw).toString('base64')}`;
  it.each([
    [
      'NUL in client_id (form)',
      'client_id',
      (from: string) => gw.http.post('/oauth/token').set('x-forwarded-for', from).type('form').send('grant_type=client_credentials&client_id=idg_%00abc&client_secret=x'),
    ],
    [
      'NUL in client_secret (form)',
      'client_secret',
      (from: string) => gw.http.post('/oauth/token').set('x-forwarded-for', from).type('form').send('grant_type=client_credentials&client_id=idg_abc&client_secret=a%00b'),
    ],
    // A surrogate encoded in UTF-8 (ED A0 80) is invalid UTF-8: the body decodes it to U+FFFD. (Percent-encoded, %ED%A0%80 stays literal text.)
    [
      'unpaired surrogate (invalid UTF-8) in client_id (form)',
      'client_id',
      (from: string) =>
        gw.http
          .post('/oauth/token')
          .set('x-forwarded-for', from)
          .type('form')
          .serialize((raw: unknown) => raw as string)
          .send(Buffer.concat([Buffer.from('grant_type=client_credentials&client_secret=x&client_id='), Buffer.from([0xed, 0xa0, 0x80])])),
    ],
    [
      'NUL in grant_type (form)',
      'grant_type',
      (from: string) => gw.http.post('/oauth/token').set('x-forwarded-for', from).type('form').send('grant_type=client_credentials%00&client_id=a&client_secret=b'),
    ],
    [
      'NUL in client_id (JSON)',
      'client_id',
      (from: string) =>
        gw.http
          .post('/oauth/token')
          .set('x-forwarded-for', from)
          .set('content-type', 'application/json')
          .send('{"grant_type":"client_credentials","client_id":"idg_\\u0000","client_secret":"x"}'),
    ],
    [
      'unpaired surrogate in client_secret (JSON)',
      'client_secret',
      (from: string) =>
        gw.http
          .post('/oauth/token')
          .set('x-forwarded-for', from)
          .set('content-type', 'application/json')
          .send('{"grant_type":"client_credentials","client_id":"idg_abc","client_secret":"\\ud800x"}'),
    ],
    [
      'NUL in client_id (Basic)',
      'client_id',
      (from: string) =>
        gw.http.post('/oauth/token').set('x-forwarded-for', from).type('form').set('authorization', basic('idg_%00:secret')).send({ grant_type: 'client_credentials' }),
    ],
    [
      'NUL in client_secret (Basic, raw)',
      'client_secret',
      (from: string) =>
        gw.http.post('/oauth/token').set('x-forwarded-for', from).type('form').set('authorization', basic('idg_abc:se\u0000cret')).send({ grant_type: 'client_credentials' }),
    ],
    [
      'unpaired surrogate (invalid UTF-8) in client_id (Basic)',
      'client_id',
      (from: string) =>
        gw.http
          .post('/oauth/token')
          .set('x-forwarded-for', from)
          .type('form')
          .set('authorization', basic(Buffer.concat([Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(':secret')])))
          .send({ grant_type: 'client_credentials' }),
    ],
    [
      'over-long client_id (form)',
      'client_id',
      (from: string) =>
        gw.http
          .post('/oauth/token')
          .set('x-forwarded-for', from)
          .type('form')
          .send({ grant_type: 'client_credentials', client_id: 'x'.repeat(129), client_secret: 'y' }),
    ],
    [
      'over-long client_secret (JSON)',
      'client_secret',
      (from: string) =>
        gw.http
          .post('/oauth/token')
          .set('x-forwarded-for', from)
          .send({ grant_type: 'client_credentials', client_id: 'idg_abc', client_secret: 'y'.repeat(257) }),
    ],
    [
      'over-long client_secret (Basic)',
      'client_secret',
      (from: string) =>
        gw.http
          .post('/oauth/token')
          .set('x-forwarded-for', from)
          .type('form')
          .set('authorization', basic(`idg_abc:${'y'.repeat(300)}`))
          .send({ grant_type: 'client_credentials' }),
    ],
    [
      'client_id twice (form)',
      'client_id',
      (from: string) => gw.http.post('/oauth/token').set('x-forwarded-for', from).type('form').send('grant_type=client_credentials&client_id=a&client_id=b&client_secret=x'),
    ],
  ])('%s → 400 invalid_request naming %s, as JSON', async (_name, parameter, send) => {
    const checksBefore = await secretChecks();
    const res = await send(address());
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.body).toEqual({ error: 'invalid_request', error_description: expect.stringContaining(parameter) });
    expect(res.text).not.toMatch(/<html|at .*\.ts:|select /i);
    // Rejected before any lookup or scrypt work.
    expect(await secretChecks()).toEqual(checksBefore);
  });
});

describe('POST /oauth/token per-address limit with TRUST_PROXY=false', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ TRUST_PROXY: 'false', OAUTH_REQUESTS_PER_ADDRESS: '2' });
  });
  afterAll(() => gw.close());

  it("a forged X-Forwarded-For does not buy a fresh budget: the connection's address counts", async () => {
    const send = (forged: string) => gw.http.post('/oauth/token').set('x-forwarded-for', forged).type('form').send({ grant_type: 'client_credentials' });
    expect((await send('192.0.2.1')).status).toBe(400);
    expect((await send('192.0.2.2')).status).toBe(400);
    const limited = await send('192.0.2.3');
    expect({ status: limited.status, error: limited.body.error }).toEqual({ status: 429, error: 'too_many_requests' });
  });
});
