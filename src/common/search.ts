/** Longest `search` text accepted, in GraphQL arguments and REST query strings alike. */
export const MAX_SEARCH_LENGTH = 200;

/** `%text%` for ILIKE with the pattern characters of `text` escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
