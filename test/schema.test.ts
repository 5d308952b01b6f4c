import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { buildBareSchema } from '../src/graphql/schema.js';

describe('schema.graphql', () => {
  it('is the schema printed from the code (run `npm run schema:print` after changing it)', () => {
    const committed = readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(committed).toBe(`${printSchema(buildBareSchema())}\n`);
  });
});
