import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { buildBareSchema } from '../src/graphql/schema.js';

/** Writes schema.graphql at the repository root from the code (a test fails when it is stale). */
const target = join(__dirname, '..', '..', 'schema.graphql');
writeFileSync(target, `${printSchema(buildBareSchema())}\n`);
console.log(`wrote ${target}`);
