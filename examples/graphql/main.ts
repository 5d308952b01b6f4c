import { check, gatewayFromEnv, run, runId } from '../shared/env.js';
import { createGraphQLClient, GraphQLRequestError } from './client.js';
import {
  AddGroupMember,
  AssignApplicationToGroup,
  AssignApplicationToUser,
  CreateApplication,
  CreateGroupWithMember,
  CreateTenant,
  CreateUser,
  EffectiveUsersPage,
} from './operations.js';

/**
 * A front end's day over GraphQL, fully typed: set up a tenant with users and a group, assign an
 * application to a user and to the group, then page through the application's effective users.
 */
run(async () => {
  const { baseUrl, token } = gatewayFromEnv();
  const gql = createGraphQLClient(baseUrl, token);

  const { createTenant: tenant } = await gql(CreateTenant, { input: { name: `GraphQL Example ${runId}` } });
  console.log(`tenant ${tenant.name} (${tenant.slug})`);
  const users = [];
  for (const name of ['ada', 'brian', 'chloe', 'dmitri', 'eve']) {
    const { createUser } = await gql(CreateUser, { tenantId: tenant.id, input: { email: `${name}@graphql-example.test`, name } });
    users.push(createUser);
  }
  const { createGroup: group } = await gql(CreateGroupWithMember, { tenantId: tenant.id, name: 'Reviewers' });
  for (const member of users.slice(1, 4)) await gql(AddGroupMember, { tenantId: tenant.id, groupId: group.id, userId: member.id });

  const { createApplication } = await gql(CreateApplication, {
    input: { name: `Review Board ${runId}`, applicationType: 'spa', tenantId: tenant.id, redirectUris: ['https://review.example.com/callback'] },
  });
  const application = createApplication.application;
  check(application.scope === 'TENANT', `scope inferred from tenantId, got ${application.scope}`);
  console.log(`application ${application.name} (${application.scope}, client ${application.clientId})`);

  // Assigning: ada and brian directly, the Reviewers group (brian, chloe, dmitri) too. eve has no access.
  for (const user of users.slice(0, 2)) {
    const { assignApplicationToUser } = await gql(AssignApplicationToUser, { tenantId: tenant.id, userId: user.id, applicationId: application.id });
    check(assignApplicationToUser.assignmentType === 'direct', 'a direct assignment');
  }
  await gql(AssignApplicationToGroup, { tenantId: tenant.id, groupId: group.id, applicationId: application.id });
  // Idempotent: assigning twice keeps one assignment.
  await gql(AssignApplicationToUser, { tenantId: tenant.id, userId: users[0].id, applicationId: application.id });

  // Paging through the effective users, two at a time.
  const seen: string[] = [];
  let page = 1;
  let totalPages: number;
  do {
    const { application: app } = await gql(EffectiveUsersPage, { applicationId: application.id, page, perPage: 2 });
    check(app, 'the application is visible');
    const { items, pagination } = app.effectiveUsers;
    totalPages = pagination.totalPages;
    console.log(`page ${pagination.page}/${pagination.totalPages} (${pagination.totalItems} users, count ${app.effectiveUserCount}):`);
    for (const user of items) {
      const via = [user.direct ? 'direct' : null, ...user.groups.map((g) => `group ${g.name}`)].filter(Boolean).join(' + ');
      console.log(`  ${user.email.padEnd(32)} ${user.tenantName} — ${via}`);
      seen.push(user.email);
    }
    page += 1;
  } while (page <= totalPages);
  const expected = ['ada', 'brian', 'chloe', 'dmitri'].map((name) => `${name}@graphql-example.test`);
  check(JSON.stringify(seen) === JSON.stringify(expected), `effective users ${seen.join(', ')}`);
  check(totalPages === 2, `2 pages of 2, got ${totalPages}`);

  // Errors are typed too: a bad id is BAD_USER_INPUT naming the field.
  try {
    await gql(EffectiveUsersPage, { applicationId: 'not-an-id', page: 1, perPage: 2 });
    check(false, 'a malformed id is rejected');
  } catch (error) {
    check(error instanceof GraphQLRequestError && error.errors[0]?.extensions?.code === 'BAD_USER_INPUT', `BAD_USER_INPUT, got ${String(error)}`);
    console.log(`malformed id → ${error.errors[0].extensions?.code}: ${error.errors[0].message}`);
  }
  console.log('GraphQL example: ok');
});
