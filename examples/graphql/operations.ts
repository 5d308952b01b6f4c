import { graphql } from './generated/index.js';

/*
 * The operations a front end sends, written once; GraphQL Code Generator (client preset) turns each
 * into a typed document: its variables and its result are TypeScript types checked against
 * schema.graphql, so a renamed field breaks the build, not the page.
 */

export const CreateTenant = graphql(`
  mutation CreateTenant($input: CreateTenantInput!) {
    createTenant(input: $input) { id name slug }
  }
`);

export const CreateUser = graphql(`
  mutation CreateUser($tenantId: ID!, $input: CreateUserInput!) {
    createUser(tenantId: $tenantId, input: $input) { id email }
  }
`);

export const CreateGroupWithMember = graphql(`
  mutation CreateGroup($tenantId: ID!, $name: String!) {
    createGroup(tenantId: $tenantId, input: { name: $name }) { id name }
  }
`);

export const AddGroupMember = graphql(`
  mutation AddGroupMember($tenantId: ID!, $groupId: ID!, $userId: ID!) {
    addGroupMember(tenantId: $tenantId, groupId: $groupId, userId: $userId) { id }
  }
`);

export const CreateApplication = graphql(`
  mutation CreateApplication($input: CreateApplicationInput!) {
    createApplication(input: $input) { clientSecret application { id name scope clientId } }
  }
`);

/** Assigning an application: to a user directly, or to a group (its members get it through the group). */
export const AssignApplicationToUser = graphql(`
  mutation AssignApplicationToUser($tenantId: ID!, $userId: ID!, $applicationId: ID!) {
    assignApplicationToUser(tenantId: $tenantId, userId: $userId, applicationId: $applicationId) { id assignmentType assignedAt }
  }
`);

export const AssignApplicationToGroup = graphql(`
  mutation AssignApplicationToGroup($tenantId: ID!, $groupId: ID!, $applicationId: ID!) {
    assignApplicationToGroup(tenantId: $tenantId, groupId: $groupId, applicationId: $applicationId) { id assignmentType }
  }
`);

/** One page of an application's effective users: who holds it, directly or through which groups. */
export const EffectiveUsersPage = graphql(`
  query EffectiveUsersPage($applicationId: ID!, $page: Int!, $perPage: Int!) {
    application(id: $applicationId) {
      name
      effectiveUserCount
      effectiveUsers(page: $page, perPage: $perPage) {
        items { id email name tenantName direct groups { id name } }
        pagination { page perPage totalItems totalPages }
      }
    }
  }
`);
