import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { buildSchema } from '../../src/graphql/schema.js';
import { assertRouteDocuments, routeDocumentProblems } from '../../src/rest/route-documents.js';
import { operation, route, type RestRoute } from '../../src/rest/route.js';
import { routes } from '../../src/rest/routes.js';

/** The route table's GraphQL documents, checked against the schema without a request (the router does the same at startup). */
describe('REST route documents', () => {
  const schema = buildSchema();
  const broken = (document: string, variables: RestRoute['variables']): RestRoute =>
    route({
      operationId: 'brokenRoute',
      method: 'get',
      path: '/api/v1/broken',
      tag: 'Test',
      summary: 'Broken',
      style: 'api',
      status: 204,
      document: operation(document),
      variables,
      reply: { kind: 'empty' },
    });

  it.each(routes.map((r) => [r.operationId, r] as const))('%s validates and maps exactly the variables its operation takes', (_id, r) => {
    expect(routeDocumentProblems(r, schema)).toEqual([]);
  });

  it('names the route and the GraphQL error when a document does not fit the schema', () => {
    expect(() => assertRouteDocuments([broken('query($id: ID!) { tenant(id: $id) { nope } }', { id: { from: 'path', name: 'tenant_id' } })], schema)).toThrow(
      /brokenRoute: Cannot query field "nope" on type "Tenant"/,
    );
    expect(routeDocumentProblems(broken('query($id: ID!) { tenant(id: $id) { id } ', {}), schema)[0]).toMatch(/Syntax Error/);
  });

  it('finds variables mapped but not declared, and required ones not mapped', () => {
    const problems = routeDocumentProblems(
      broken('query($id: ID!, $perPage: Int = 1) { partner(id: $id) { tenants(perPage: $perPage) { items { id } } } }', { tenantId: { from: 'path', name: 'tenant_id' } }),
      schema,
    );
    expect(problems).toEqual(['the route maps $tenantId, which the operation does not declare', 'the operation requires $id, which the route does not map']);
  });

  it("parses and validates a route document once: later requests with the same text hit Apollo's document cache", async () => {
    let parsed = 0;
    let validated = 0;
    const counting: ApolloServerPlugin = {
      async requestDidStart() {
        return {
          async parsingDidStart() {
            parsed++;
          },
          async validationDidStart() {
            validated++;
          },
        };
      },
    };
    const apollo = new ApolloServer({ schema, plugins: [counting] });
    await apollo.start();
    try {
      const getTenant = routes.find((r) => r.operationId === 'getTenant')!;
      for (let i = 0; i < 3; i++) await apollo.executeOperation({ query: getTenant.document, variables: { id: '00000000-0000-4000-8000-000000000000' } });
      expect({ parsed, validated }).toEqual({ parsed: 1, validated: 1 });
    } finally {
      await apollo.stop();
    }
  });
});
