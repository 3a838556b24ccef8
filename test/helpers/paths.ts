import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

// Everything a test reads lies inside the repository: a clone with nothing beside it runs the suite.
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = resolve(REPO, 'test/fixtures');
export const SEED_DIR = resolve(FIXTURES, 'seed-pair');
export const SEED_A = resolve(SEED_DIR, '000_45cd25e784dd85d6.txt');
export const SEED_B = resolve(SEED_DIR, '004_1a5de46adba00c4e.txt');
export const ECBPLUS = resolve(FIXTURES, 'ecbplus/articles.jsonl');
export const EXAMPLES = resolve(REPO, 'examples/articles');
