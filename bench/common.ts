import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ECBPLUS = resolve(REPO, '../shared/data/ecbplus/articles.jsonl');

export interface EcbRow {
  id: string;
  topic: number;
  story: string;
  url: string | null;
  text: string;
}

export function loadEcb(): EcbRow[] {
  return readFileSync(ECBPLUS, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as EcbRow);
}

/** One line naming the machine, for every benchmark report. */
export function machine(): string {
  const c = cpus();
  return `${c.length} x ${c[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

export function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}
