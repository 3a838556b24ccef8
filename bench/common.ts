import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Tuning data beside the checkout (not in the repository; tests never read it). */
export const SHARED = resolve(REPO, '../shared');
export const ECBPLUS = resolve(SHARED, 'data/ecbplus/articles.jsonl');
/** The seed pair, vendored for the tests. */
export const SEED_PAIR = ['000_45cd25e784dd85d6.txt', '004_1a5de46adba00c4e.txt'].map((f) => resolve(REPO, 'test/fixtures/seed-pair', f));

/** Returns `path`, or ends the benchmark with exit code 2 and one line when the tuning data beside the checkout is missing. */
export function requireShared(path: string): string {
  if (!existsSync(path)) {
    console.error(`bench: needs ${path} (tuning data in ../shared beside the checkout), which is missing`);
    process.exit(2);
  }
  return path;
}

export interface EcbRow {
  id: string;
  topic: number;
  story: string;
  url: string | null;
  text: string;
}

export const GUN_VIOLENCE = resolve(REPO, '../shared/data/gun-violence/articles.jsonl');
export const MMDS = resolve(REPO, '../shared/data/mmds/articles.jsonl');

/** A labelled data set beside the repository: its rows, or exit 2 with one line when it is missing. */
export function loadLabelled<T>(path: string): T[] {
  if (!existsSync(path)) {
    console.error(`missing ${path}: this benchmark needs the tuning data beside the repository`);
    process.exit(2);
  }
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as T);
}

export function loadEcb(): EcbRow[] {
  return readFileSync(requireShared(ECBPLUS), 'utf8')
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

/** ECB+ stories (gold events), each as the texts of its articles, in file order. */
export function ecbStories(): string[][] {
  const byStory = new Map<string, string[]>();
  for (const r of loadEcb()) byStory.set(r.story, [...(byStory.get(r.story) ?? []), r.text]);
  return [...byStory.values()];
}

/**
 * The dated synthetic stream of bench/cluster.ts as JSON Lines: ECB+ stories as synthetic events
 * with their own marker names, 0.5 days apart, each story coming back a year later as a new event.
 */
export function syntheticStreamLines(n: number): string[] {
  const stories = ecbStories();
  const lines: string[] = [];
  const base = Date.UTC(2020, 0, 1);
  for (let s = 0; lines.length < n; s++) {
    const src = stories[s % stories.length]!;
    const marker = `Zorv${s.toString(36)}`;
    const day = base + s * 43_200_000 + Math.floor(s / stories.length) * 365 * 86_400_000;
    for (let k = 0; k < src.length && lines.length < n; k++) {
      lines.push(JSON.stringify({ id: `x${lines.length}`, text: `${marker} ${src[k]} ${marker} Kel${marker}.`, published: new Date(day + k * 3_600_000 * 4).toISOString() }));
    }
  }
  return lines;
}

/** Writes `lines` as `files` JSON Lines files of equal size in `dir`; returns their paths. */
export function writeParts(dir: string, lines: readonly string[], files: number): string[] {
  const per = Math.ceil(lines.length / files);
  const paths: string[] = [];
  for (let f = 0; f < files; f++) {
    const p = join(dir, `part${f}.jsonl`);
    writeFileSync(p, `${lines.slice(f * per, (f + 1) * per).join('\n')}\n`);
    paths.push(p);
  }
  return paths;
}

/** The seeded orders of the ECB+ clustering benchmarks (an LCG Fisher-Yates; the figures in docs depend on it). */
export function shuffle<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
