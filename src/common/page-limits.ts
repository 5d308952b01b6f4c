/** Page limits, shared by the GraphQL arguments (paging.ts) and the REST parameter schemas, which load without type-graphql. */
export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;
/** The largest `page`: GraphQL's Int is a signed 32-bit integer, so REST refuses what the operation could not take. */
export const MAX_PAGE = 2 ** 31 - 1;
