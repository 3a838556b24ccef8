import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = resolve(REPO, '../shared');
export const SEED_DIR = resolve(SHARED, 'examples/seed-pair');
export const SEED_A = resolve(SEED_DIR, '000_45cd25e784dd85d6.txt');
export const SEED_B = resolve(SEED_DIR, '004_1a5de46adba00c4e.txt');
export const ECBPLUS = resolve(SHARED, 'data/ecbplus/articles.jsonl');
export const EXAMPLES = resolve(REPO, 'examples/articles');
