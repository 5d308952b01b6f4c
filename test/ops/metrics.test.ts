import { loadDemoData } from '../../src/app/demo-data.js';
import { startTestGateway, type TestGateway } from '../support/harness.js';

/** GET /metrics in Prometheus text format, with the series named in issue 5, on a real database. */
describe('GET /metrics', () => {
  let tg: TestGateway;

  beforeAll(async () => {
    tg = await startTestGateway();
    await loadDemoData(tg.db.orm);
  });
  afterAll(() => tg.close());

  it('exposes request counts and durations, GraphQL operation names, SQL statements per request and pool usage', async () => {
    const token = await tg.superToken();
    const query = 'query TenantsWithApplications { tenants { items { name availableApplications { items { name } } } } }';
    for (let i = 0; i < 3; i++) {
      const res = await tg.http.post('/graphql').set('authorization', `Bearer ${token}`).send({ query, operationName: 'TenantsWithApplications' });
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
    // Unnamed in the body: the name is taken from the document.
    await tg.http.post('/graphql').set('authorization', `Bearer ${token}`).send({ query: 'query Me { me { kind } }' });
    await tg.http.get('/healthz').expect(200);
    await tg.http.get('/api/v1/no-such-thing');

    const res = await tg.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(text).toContain('idgraph_http_requests_total{surface="graphql",route="/graphql",method="POST",status="200"} 4');
    expect(text).toContain('idgraph_http_requests_total{surface="other",route="/healthz",method="GET",status="200"} 1');
    expect(text).toMatch(/idgraph_http_requests_total\{surface="rest",route="[^"]+",method="GET",status="404"\} 1/);
    expect(text).toMatch(/idgraph_http_request_duration_seconds_count\{surface="graphql",route="\/graphql",method="POST",status="200"\} 4/);
    expect(text).toContain('idgraph_graphql_operations_total{operation="TenantsWithApplications",status="200"} 3');
    expect(text).toContain('idgraph_graphql_operations_total{operation="Me",status="200"} 1');
    expect(text).toMatch(/idgraph_graphql_operation_duration_seconds_bucket\{le="[^"]+",operation="TenantsWithApplications"\} \d/);
    expect(text).toContain('idgraph_sql_statements_per_request_count{surface="graphql"} 4');
    // The tenants-with-applications query issues a handful of statements, never zero.
    const sum = Number(/idgraph_sql_statements_per_request_sum\{surface="graphql"\} (\d+)/.exec(text)?.[1]);
    expect(sum).toBeGreaterThanOrEqual(4);
    expect(text).toMatch(/idgraph_db_pool_connections\{state="used"\} \d+/);
    expect(text).toMatch(/idgraph_db_pool_connections\{state="free"\} \d+/);
    expect(text).toContain('idgraph_process_cpu_seconds_total');
  });

  it('keeps one registry per gateway', async () => {
    const other = await startTestGateway();
    try {
      const text = (await other.http.get('/metrics').expect(200)).text;
      expect(text).not.toContain('operation="TenantsWithApplications"');
    } finally {
      await other.close();
    }
  });
});
