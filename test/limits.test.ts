import { startTestGateway, type TestGateway } from './support/harness.js';

/** SPEC §5: depth and cost are limited; introspection is on outside production. */
describe('query limits', () => {
  let gw: TestGateway;
  let su: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
  });
  afterAll(() => gw.close());

  it('rejects a query nested deeper (and costlier) than the limits before running it', async () => {
    // partner → tenants → items → partner → tenants → ... 16 levels.
    let selection = 'id';
    for (let i = 0; i < 8; i += 1) selection = `tenants { items { partner { ${selection} } } }`;
    const res = await gw.gql(`{ partners { items { ${selection} } } }`, {}, su);
    expect(res.status).toBe(400);
    expect(res.errors![0].message).toMatch(/depth|cost/i);
    expect(res.sqlStatements ?? 0).toBe(0);
  });

  it('rejects too many aliases', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: me { kind }`).join(' ');
    const res = await gw.gql(`{ ${aliases} }`, {}, su);
    expect(res.status).toBe(400);
    expect(res.errors![0].message).toMatch(/alias/i);
  });

  it('answers introspection outside production', async () => {
    const res = await gw.gql('{ __schema { queryType { name } } }');
    expect(res.data.__schema.queryType.name).toBe('Query');
  });

  it('turns introspection off in production', async () => {
    const prod = await startTestGateway({ NODE_ENV: 'production' });
    try {
      const res = await prod.gql('{ __schema { queryType { name } } }');
      expect(res.errors![0].message).toMatch(/introspection/i);
    } finally {
      await prod.close();
    }
  });
});
