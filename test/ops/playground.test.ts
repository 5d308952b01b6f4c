import { existsSync } from 'node:fs';
import { startTestGateway, type TestGateway } from '../support/harness.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('playground', () => {
  let tg: TestGateway;

  beforeAll(async () => {
    tg = await startTestGateway();
  });
  afterAll(() => tg.close());

  it('serves GraphiQL to browsers at GET /graphql and /playground, with the example query and the configured token', async () => {
    tg.config.playgroundToken = 'demo.token.value';
    try {
      for (const path of ['/graphql', '/playground']) {
        const res = await tg.http.get(path).set('accept', BROWSER_ACCEPT).expect(200);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.text).toContain('/playground/assets/graphiql.min.js');
        expect(res.text).toContain('query TenantsWithApplications');
        expect(res.text).toContain('Bearer demo.token.value');
        expect(res.text).not.toMatch(/https?:\/\/(?!localhost)[a-z]/i);
      }
    } finally {
      tg.config.playgroundToken = undefined;
    }
    const res = await tg.http.get('/playground').set('accept', BROWSER_ACCEPT).expect(200);
    expect(res.text).not.toContain('demo.token.value');
  });

  it('serves the bundles from node_modules', async () => {
    for (const [name, type] of [
      ['graphiql.min.js', /javascript/],
      ['graphiql.min.css', /css/],
      ['react.production.min.js', /javascript/],
      ['react-dom.production.min.js', /javascript/],
    ] as const) {
      const res = await tg.http.get(`/playground/assets/${name}`).expect(200);
      expect(res.headers['content-type']).toMatch(type);
      expect(Number(res.headers['content-length'])).toBeGreaterThan(1000);
    }
    await tg.http.get('/playground/assets/..%2Fpackage.json').expect(404);
    expect(existsSync(require.resolve('graphiql/package.json'))).toBe(true);
  });

  it('leaves API GETs of /graphql to Apollo', async () => {
    const query = await tg.http.get('/graphql').query({ query: '{ __typename }' }).set('accept', 'application/json').expect(200);
    expect(query.body.data).toEqual({ __typename: 'Query' });
    const withHtmlAccept = await tg.http.get('/graphql').query({ query: '{ __typename }' }).set('accept', `application/json, ${BROWSER_ACCEPT}`);
    expect(withHtmlAccept.body.data).toEqual({ __typename: 'Query' });
  });

  it('is off in production unless PLAYGROUND=1', async () => {
    const secret = 'production-secret-0123456789abcdef';
    const off = await startTestGateway({ NODE_ENV: 'production', JWT_SECRET: secret, LOG_LEVEL: 'silent' });
    try {
      await off.http.get('/playground').set('accept', BROWSER_ACCEPT).expect(404);
      const res = await off.http.get('/graphql').set('accept', BROWSER_ACCEPT);
      expect(res.headers['content-type'] ?? '').not.toMatch(/html/);
      await off.http.get('/playground/assets/graphiql.min.js').expect(404);
    } finally {
      await off.close();
    }
    const on = await startTestGateway({ NODE_ENV: 'production', JWT_SECRET: secret, LOG_LEVEL: 'silent', PLAYGROUND: '1' });
    try {
      await on.http.get('/playground').set('accept', BROWSER_ACCEPT).expect(200);
    } finally {
      await on.close();
    }
  });
});
