import 'reflect-metadata';
import { rules } from '../../src/auth/permissions.js';
import { buildBareSchema } from '../../src/graphql/schema.js';

/**
 * Every root field has its own rule in the shield map (src/auth/permissions.ts): the `deny` fallback
 * would answer FORBIDDEN to everyone, so a new field without a rule is a mistake, not a safe default.
 */
describe('shield map', () => {
  const schema = buildBareSchema();
  const roots = { Query: schema.getQueryType()!, Mutation: schema.getMutationType()! };

  it.each(Object.keys(roots) as (keyof typeof roots)[])('names a rule for every %s field', (typeName) => {
    const typeRules = rules[typeName] as Record<string, unknown>;
    const fields = Object.keys(roots[typeName].getFields());
    expect(fields.filter((field) => !(field in typeRules))).toEqual([]);
  });

  it.each(Object.keys(roots) as (keyof typeof roots)[])('has no rule for a %s field that does not exist', (typeName) => {
    const fields = new Set(Object.keys(roots[typeName].getFields()));
    expect(Object.keys(rules[typeName] as Record<string, unknown>).filter((field) => !fields.has(field))).toEqual([]);
  });
});
