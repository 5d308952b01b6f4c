import type { TypedDocumentString } from './generated/graphql.js';

/** A GraphQL error as the gateway sends it: `extensions.code` is UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT or CONFLICT. */
export interface GatewayError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; fields?: { path: (string | number)[]; message: string; type: string }[] };
}

export class GraphQLRequestError extends Error {
  constructor(
    public readonly status: number,
    public readonly errors: GatewayError[],
  ) {
    super(`GraphQL request failed (HTTP ${status}): ${errors.map((e) => `${e.extensions?.code ?? 'ERROR'} ${e.message}`).join('; ')}`);
  }
}

/**
 * The whole GraphQL client: POST the typed document with its variables, get back its typed result.
 * (A front end may use urql or Apollo Client with the same generated documents instead.)
 */
export function createGraphQLClient(baseUrl: string, token: string) {
  // Read-your-writes with read replicas: the WAL position of this client's last write, sent back on every request.
  let consistency: string | undefined;
  return async function execute<Result, Variables>(
    document: TypedDocumentString<Result, Variables>,
    ...[variables]: Variables extends Record<string, never> ? [] : [Variables]
  ): Promise<Result> {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${token}`,
        ...(consistency ? { 'x-idgraph-consistency': consistency } : {}),
      },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
    consistency = response.headers.get('x-idgraph-consistency') ?? consistency;
    const body = (await response.json()) as { data?: Result; errors?: GatewayError[] };
    if (body.errors?.length || !body.data) throw new GraphQLRequestError(response.status, body.errors ?? []);
    return body.data;
  };
}
