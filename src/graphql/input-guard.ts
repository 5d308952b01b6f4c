import { GraphQLError, Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import type { FieldIssue } from '../common/errors.js';
import type { RequestCheck } from './apollo-plugins.js';

/**
 * The bounds every client value is checked against once, at the edge (REST path, query and body;
 * GraphQL variables and literals), before any validator, case conversion or SQL sees it:
 * - nesting at most MAX_INPUT_DEPTH levels, the body / variable / argument itself counting as one:
 *   recursive code further in (validators, key conversion, PostgreSQL's jsonb parser) stays shallow;
 * - strings (and object keys) at most MAX_STRING_LENGTH characters, without NUL (PostgreSQL text and
 *   jsonb cannot hold it) and without unpaired UTF-16 surrogates (not Unicode: jsonb rejects them).
 */
export const MAX_INPUT_DEPTH = 32;
export const MAX_STRING_LENGTH = 16_384;
/** Enough to name what is wrong without building a huge answer for a huge bad input. */
const MAX_ISSUES = 20;

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type Path = (string | number)[];

/** What is wrong with one string, if anything. */
export function stringProblem(value: string): Omit<FieldIssue, 'path'> | undefined {
  if (value.length > MAX_STRING_LENGTH) return { message: `String should have at most ${MAX_STRING_LENGTH} characters`, type: 'string_too_long' };
  if (value.includes('\u0000')) return { message: 'String must not contain NUL (\\u0000) characters', type: 'string_nul' };
  if (UNPAIRED_SURROGATE.test(value)) return { message: 'String must be valid Unicode (no unpaired surrogates)', type: 'string_unicode' };
  return undefined;
}

/** Too deep: reported on the top-level field the value sits in (`["body", "first_client"]`), not 32 levels down. */
function depthIssue(path: Path, rootLength: number): FieldIssue {
  return { path: path.slice(0, rootLength + 1), message: `Input should be nested at most ${MAX_INPUT_DEPTH} levels deep`, type: 'json_too_deep' };
}

class IssueList {
  readonly issues: FieldIssue[] = [];
  get full(): boolean {
    return this.issues.length >= MAX_ISSUES;
  }
  add(issue: FieldIssue): void {
    if (!this.full && !this.issues.some((i) => i.path.join('\u0001') === issue.path.join('\u0001') && i.type === issue.type)) this.issues.push(issue);
  }
  string(path: Path, value: string): void {
    const problem = stringProblem(value);
    if (problem) this.add({ path, ...problem });
  }
}

/** Walks a JSON value; recursion stops at the depth bound, so the walk itself is bounded. */
function walkJson(value: unknown, path: Path, depth: number, rootLength: number, found: IssueList): void {
  if (found.full) return;
  if (typeof value === 'string') return found.string(path, value);
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_INPUT_DEPTH) return found.add(depthIssue(path, rootLength));
  if (Array.isArray(value)) {
    value.forEach((item, index) => walkJson(item, [...path, index], depth + 1, rootLength, found));
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    found.string([...path, key], key);
    walkJson(inner, [...path, key], depth + 1, rootLength, found);
  }
}

/** Problems of a JSON value received at `root` (e.g. `['body']`, `['query', 'search']`, `['input']`). */
export function inputIssues(value: unknown, root: Path): FieldIssue[] {
  const found = new IssueList();
  walkJson(value, root, 1, root.length, found);
  return found.issues;
}

/** The same bounds for a literal in a GraphQL document (argument values, variable defaults). */
function walkLiteral(node: ValueNode, path: Path, depth: number, rootLength: number, found: IssueList): void {
  if (found.full) return;
  switch (node.kind) {
    case Kind.STRING:
      return found.string(path, node.value);
    case Kind.LIST:
      if (depth > MAX_INPUT_DEPTH) return found.add(depthIssue(path, rootLength));
      node.values.forEach((item, index) => walkLiteral(item, [...path, index], depth + 1, rootLength, found));
      return;
    case Kind.OBJECT:
      if (depth > MAX_INPUT_DEPTH) return found.add(depthIssue(path, rootLength));
      for (const field of node.fields) walkLiteral(field.value, [...path, field.name.value], depth + 1, rootLength, found);
      return;
    default:
      return;
  }
}

/** Problems of the literal values of a GraphQL document, each named by its argument (or variable) path. */
export function documentIssues(document: DocumentNode): FieldIssue[] {
  const found = new IssueList();
  visit(document, {
    Argument(node) {
      walkLiteral(node.value, [node.name.value], 1, 1, found);
      return false;
    },
    VariableDefinition(node) {
      if (node.defaultValue) walkLiteral(node.defaultValue, [node.variable.name.value], 1, 1, found);
      return false;
    },
  });
  return found.issues;
}

const issuesOfDocument = new WeakMap<DocumentNode, FieldIssue[]>();

/** documentIssues per parsed document: Apollo's document store hands back the same DocumentNode for the same text. */
function documentIssuesOnce(document: DocumentNode): FieldIssue[] {
  let issues = issuesOfDocument.get(document);
  if (!issues) issuesOfDocument.set(document, (issues = documentIssues(document)));
  return issues;
}

/** Problems of GraphQL variables, each named by its variable path (`['input', 'firstClient']`). */
export function variablesIssues(variables: Record<string, unknown> | undefined): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [name, value] of Object.entries(variables ?? {})) {
    issues.push(...inputIssues(value, [name]));
    if (issues.length >= MAX_ISSUES) break;
  }
  return issues.slice(0, MAX_ISSUES);
}

/**
 * Checks every GraphQL operation's literals and variables before execution (and so before variable
 * coercion, scalar parsing and resolvers): BAD_USER_INPUT with `extensions.fields`, HTTP 400 like
 * other variable errors.
 */
export function inputGuardCheck<TContext extends object>(): RequestCheck<TContext> {
  return {
    didResolveOperation({ request, document }) {
      const issues = [...documentIssuesOnce(document), ...variablesIssues(request.variables)].slice(0, MAX_ISSUES);
      if (!issues.length) return;
      throw new GraphQLError(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), {
        extensions: { code: 'BAD_USER_INPUT', fields: issues, http: { status: 400 } },
      });
    },
  };
}
