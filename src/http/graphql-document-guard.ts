import { Lexer, Source, TokenKind } from 'graphql';
import { sendJson } from '../common/http.js';
import { type Handler } from './handlers.js';

/** Tokens one GraphQL document may hold; Apollo's parser enforces it (`parseOptions.maxTokens`: 400 GRAPHQL_PARSE_FAILED). */
export const MAX_DOCUMENT_TOKENS = 5000;
/**
 * Brackets (`{`, `[`, `(`) one document may nest: selections (depth 12 at most) plus argument literals.
 * graphql-js parses, validates and coerces literals recursively, so a literal 1,600 levels deep
 * would overflow the stack; it is refused here, before the parser sees it.
 */
export const MAX_DOCUMENT_NESTING = 64;

const OPENING = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/** The deepest bracket nesting of `query`, read with graphql-js's own lexer (strings and comments skipped). */
export function nestingOf(query: string, maxTokens = MAX_DOCUMENT_TOKENS): number {
  const lexer = new Lexer(new Source(query));
  let depth = 0;
  let deepest = 0;
  try {
    for (let token = lexer.advance(), count = 1; token.kind !== TokenKind.EOF && count <= maxTokens; token = lexer.advance(), count += 1) {
      if (OPENING.has(token.kind)) deepest = Math.max(deepest, ++depth);
      else if (CLOSING.has(token.kind)) depth -= 1;
    }
  } catch {
    // A lexical error: the parser reports it (400 GRAPHQL_PARSE_FAILED) with its position.
  }
  return deepest;
}

/** Documents whose nesting is remembered: clients send the same few documents over and over. */
const MAX_REMEMBERED_DOCUMENTS = 1000;
const MAX_REMEMBERED_LENGTH = 8192;
const nestingByDocument = new Map<string, number>();

/** nestingOf, remembered for short documents (the memo starts over once full). */
function rememberedNestingOf(query: string): number {
  if (query.length > MAX_REMEMBERED_LENGTH) return nestingOf(query);
  let nesting = nestingByDocument.get(query);
  if (nesting === undefined) {
    nesting = nestingOf(query);
    if (nestingByDocument.size >= MAX_REMEMBERED_DOCUMENTS) nestingByDocument.clear();
    nestingByDocument.set(query, nesting);
  }
  return nesting;
}

/**
 * Refuses GraphQL documents nested deeper than `maxNesting` with a GraphQL-shaped 400, before
 * Apollo parses them. Mounted on /graphql after the body parser; reads POST bodies and GET `?query=`.
 */
export function graphqlDocumentGuard(maxNesting = MAX_DOCUMENT_NESTING): Handler {
  return (req, res, next) => {
    const body = req.body as { query?: unknown } | undefined;
    const query = typeof body?.query === 'string' ? body.query : typeof req.query?.query === 'string' ? req.query.query : undefined;
    if (query !== undefined && rememberedNestingOf(query) > maxNesting) {
      sendJson(res, 400, {
        errors: [{ message: `Syntax Error: the document nests brackets deeper than ${maxNesting} levels.`, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }],
      });
      return;
    }
    next();
  };
}
