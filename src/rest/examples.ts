/**
 * Example values of the OpenAPI document. Ids cannot point at real rows (they are generated), so
 * every path parameter and body reference of one kind uses one fixed UUID: a reader replaces it with
 * an id of theirs, and the test that sends every example (test/rest/openapi-examples.test.ts)
 * replaces it with an id of the world it builds.
 */
export const EXAMPLE_IDS: Record<string, string> = {
  partner_id: '3f1c2a6e-7b4d-4c1a-9e2f-0a1b2c3d4e51',
  tenant_id: '5a7e9c1b-2d4f-4a6b-8c0d-1e2f3a4b5c62',
  application_id: '7c9e1a3b-4d5f-4b7c-9d1e-2f3a4b5c6d73',
  app_id: '9e1a3c5d-6f7b-4d9e-a1f2-3a4b5c6d7e84',
  user_id: 'b1c3e5a7-8d9f-4e1a-b3c4-4b5c6d7e8f95',
  group_id: 'd3e5a7c9-0f1b-4a3c-95d6-5c6d7e8f9a06',
  secret_id: 'e4f6b8d0-1a2c-4b4d-a6e7-6d7e8f9a0b17',
};

/** Placeholders of the /oauth/token example: an application's client id and secret. */
export const EXAMPLE_CLIENT = { client_id: 'idg_0123456789abcdef01234567', client_secret: 'example-client-secret' };
