/**
 * Writes docs/comparison-schema.json from the zod schema of the Comparison document
 * (src/contract/comparison.ts); test/compare.test.ts checks the file is up to date.
 *
 *   node --import tsx bench/_compare-schema.ts
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { comparisonJsonSchema } from '../src/contract/comparison.js';

writeFileSync(resolve(import.meta.dirname, '../docs/comparison-schema.json'), `${JSON.stringify(comparisonJsonSchema(), null, 2)}\n`);
