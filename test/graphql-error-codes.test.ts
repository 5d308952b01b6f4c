import { codeOf, startTestGateway, type TestGateway } from './support/harness.js';

/**
 * Which GraphQL validation errors are bad input (BAD_USER_INPUT) and which a query that does not fit
 * the schema (GRAPHQL_VALIDATION_FAILED): told by the error's node and the input type there, not by
 * graphql-js's wording (src/graphql/errors.ts). Both answer HTTP 400.
 */
const SOME_ID = '00000000-0000-4000-8000-000000000000';
const ASSIGN = (ids: string) => `mutation { assignApplicationsToUser(tenantId: "${SOME_ID}", userId: "${SOME_ID}", applicationIds: ${ids}) { id } }`;

describe('GraphQL error codes of literals and variables', () => {
  let gw: TestGateway;
  let su: string;
  beforeAll(async () => {
    gw = await startTestGateway();
    su = await gw.superToken();
  });
  afterAll(() => gw.close());

  it.each([
    ['bad UUID literal', '{ tenant(id: "123") { id } }', {}, 'BAD_USER_INPUT'],
    ['int for ID literal', '{ tenant(id: 5) { id } }', {}, 'BAD_USER_INPUT'],
    ['bad UUID variable', 'query($id: ID!) { tenant(id: $id) { id } }', { id: 'x' }, 'BAD_USER_INPUT'],
    ['enum unknown literal', '{ tenants(status: sleeping) { items { id } } }', {}, 'BAD_USER_INPUT'],
    ['enum string literal', '{ tenants(status: "active") { items { id } } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
    ['enum variable bad', 'query($s: TenantStatus) { tenants(status: $s) { items { id } } }', { s: 'sleeping' }, 'BAD_USER_INPUT'],
    ['int given string', '{ tenants(perPage: "x") { items { id } } }', {}, 'BAD_USER_INPUT'],
    ['int too big', '{ tenants(perPage: 99999999999) { items { id } } }', {}, 'BAD_USER_INPUT'],
    ['string given int', '{ tenants(search: 5) { items { id } } }', {}, 'BAD_USER_INPUT'],
    ['string given object', '{ tenants(search: {a: 1}) { items { id } } }', {}, 'BAD_USER_INPUT'],
    ['string given list', '{ tenants(search: ["a"]) { items { id } } }', {}, 'BAD_USER_INPUT'],
    ['null for non-null', 'mutation { createTenant(input: { name: null }) { id } }', {}, 'BAD_USER_INPUT'],
    ['null for non-null arg', '{ tenant(id: null) { id } }', {}, 'BAD_USER_INPUT'],
    ['missing required input field', 'mutation { createTenant(input: { slug: "a" }) { id } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
    ['unknown input field', 'mutation { createTenant(input: { name: "a", bogus: 1 }) { id } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
    ['input given string', 'mutation { createTenant(input: "x") { id } }', {}, 'BAD_USER_INPUT'],
    ['missing required arg', '{ tenant { id } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
    ['unknown arg', '{ tenants(bogus: 1) { items { id } } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
    ['unknown field', '{ tenants { bogus } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
    ['variable wrong position', 'query($s: String) { tenant(id: $s) { id } }', { s: 'x' }, 'GRAPHQL_VALIDATION_FAILED'],
    ['DateTime bad literal', '{ auditEvents(filter: { since: "yesterday" }) { items { id } } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
    ['DateTime int literal', '{ auditEvents(filter: { since: 5 }) { items { id } } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'JSONObject string literal',
      `mutation { createManagementApplication(tenantId: "${SOME_ID}", input: { name: "x", firstClient: "s" }) { application { id } } }`,
      {},
      'GRAPHQL_VALIDATION_FAILED',
    ],
    ['boolean given string', '{ tenants(includeDeleted: "yes") { items { id } } }', {}, 'BAD_USER_INPUT'],
    ['float for int', '{ tenants(perPage: 1.5) { items { id } } }', {}, 'BAD_USER_INPUT'],
    ['list item bad id', ASSIGN('["x", 5]'), {}, 'BAD_USER_INPUT'],
    ['list item null', ASSIGN('[null]'), {}, 'BAD_USER_INPUT'],
    ['object for list of ids', ASSIGN('{a: 1}'), {}, 'BAD_USER_INPUT'],
    ['bad enum default value', 'query($s: TenantStatus = "x") { tenants(status: $s) { items { id } } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
    ['bad default int', 'query($p: Int = "x") { tenants(perPage: $p) { items { id } } }', {}, 'BAD_USER_INPUT'],
    ['two errors: each its own code', '{ tenants(perPage: "x", bogus: 1) { items { id } } }', {}, 'BAD_USER_INPUT'],
    ['nested literal', 'mutation { createTenant(input: { name: "a", settings: { sessionTimeout: "x" } }) { id } }', {}, 'BAD_USER_INPUT'],
    ['a bad id inside an input object', '{ auditEvents(filter: { tenantId: 5 }) { items { id } } }', {}, 'BAD_USER_INPUT'],
    ['list for object', 'mutation { createTenant(input: [{ name: "a" }]) { id } }', {}, 'BAD_USER_INPUT'],
    ['subscription', 'subscription { me { kind } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
  ])('%s', async (_label, query, variables, code) => {
    const result = await gw.gql(query, variables, su);
    expect({ status: result.status, code: codeOf(result) }).toEqual({ status: 400, code });
  });
});
