import pino from 'pino';
import { Writable } from 'node:stream';
import { DEMO_IDS, loadDemoData } from '../../src/app/demo-data.js';
import { startTestGateway, type TestGateway } from '../support/harness.js';

/** The request log line says who called and which trace it belongs to; GET / says where to go. */
describe('request log line and GET /', () => {
  let tg: TestGateway;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    tg = await startTestGateway({}, { logger: pino({ level: 'info' }, sink) });
    await loadDemoData(tg.db.orm);
  });
  afterAll(() => tg.close());

  const requestLine = (reqId: string) => lines.find((line) => line.msg === 'request' && line.reqId === reqId);

  it("carries the caller (subject, role, tenant, partner) and the trace id of the caller's traceparent", async () => {
    const token = await tg.token({ sub: 'alice-admin', role: 'tenant_admin', tenant_id: DEMO_IDS.tenants.acmeRetail, scope: 'admin:read' });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await tg.http
      .get('/api/v1/admin/tenants/')
      .set('authorization', `Bearer ${token}`)
      .set('x-request-id', 'log-test-rest')
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`)
      .expect(200);
    expect(requestLine('log-test-rest')).toMatchObject({
      traceId,
      sub: 'alice-admin',
      role: 'tenant_admin',
      tenantId: DEMO_IDS.tenants.acmeRetail,
      partnerId: DEMO_IDS.partners.acme,
      status: 200,
    });

    const partner = await tg.token({ sub: 'pat', role: 'partner_admin', partner_id: DEMO_IDS.partners.globex, scope: 'admin:read' });
    await tg.http
      .post('/graphql')
      .set('authorization', `Bearer ${partner}`)
      .set('x-request-id', 'log-test-gql')
      .send({ query: 'query Mine { tenants { items { id } } }' })
      .expect(200);
    const line = requestLine('log-test-gql');
    expect(line).toMatchObject({ sub: 'pat', role: 'partner_admin', partnerId: DEMO_IDS.partners.globex, operationName: 'Mine' });
    expect(line).not.toHaveProperty('tenantId');
    expect(line).not.toHaveProperty('traceId');
    expect(JSON.stringify(lines)).not.toContain(partner);
  });

  it('logs anonymous and rejected callers without caller fields', async () => {
    await tg.http.get('/api/v1/admin/tenants/').set('authorization', 'Bearer not.a.jwt').set('x-request-id', 'log-test-401').expect(401);
    const line = requestLine('log-test-401');
    expect(line).toMatchObject({ status: 401 });
    expect(line).not.toHaveProperty('sub');
  });

  it('GET / points to the playground and the docs: JSON for API clients, a page of links for browsers', async () => {
    const json = await tg.http.get('/').set('accept', 'application/json').expect(200);
    expect(json.body.links).toMatchObject({ graphql: '/graphql', playground: '/playground', restDocs: '/docs', openapi: '/openapi.json' });
    const html = await tg.http.get('/').set('accept', 'text/html,application/xhtml+xml,*/*;q=0.8').expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    for (const href of ['/graphql', '/playground', '/docs', '/openapi.json']) expect(html.text).toContain(`href="${href}"`);
    expect(html.headers.vary).toMatch(/Accept/i);
  });
});
