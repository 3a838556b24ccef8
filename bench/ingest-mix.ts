/**
 * Ingest with every stage on a stream closer to a real feed than bench/ingest-stories.ts,
 * whose synthetic events repeat the ECB+ articles almost word for word (every article there
 * is a near-duplicate of dozens of earlier ones). Here each synthetic event takes an ECB+
 * story's articles and rewrites them: three in five of the longer lower-case words are swapped for
 * words of other articles (seeded; names and numbers stay), and a fifth of the sentences after
 * the first are dropped, so two rewrites of one source share few 5-word shingles, as
 * independent reports of one event do (the text reads as word salad: this measures speed, not
 * quality). Then, as wire copy does, 10 % of the
 * articles are reprints of an earlier article of the same event under another outlet's header
 * (exact, or with a sentence cut: near-duplicates). Reported per file: rate, reuse links and
 * stories found.
 *
 *   npx tsx bench/ingest-mix.ts [N=50000] [FILES=5] [WORKERS=0]
 *
 * SNAPSHOT_EVERY=1 saves the clustering state with every batch, as before session 14 (the
 * baseline for the saved-state interval); the default is the stage's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ClusterStage } from '../src/stages/cluster.js';
import { DedupStage } from '../src/stages/dedup.js';
import { Engine } from '../src/engine/engine.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { loadEcb, machine, mb, writeParts } from './common.js';

const n = Number(process.argv[2] ?? 50_000);
const files = Number(process.argv[3] ?? 5);
const workers = Number(process.argv[4] ?? 0);
const snapshotEvery = Number(process.env.SNAPSHOT_EVERY ?? 0);
const rows = loadEcb();
const byStory = new Map<string, string[][]>();
for (const r of rows) byStory.set(r.story, [...(byStory.get(r.story) ?? []), r.text.split('\n')]);
const stories = [...byStory.values()];
const vocabulary = rows.flatMap((r) => r.text.split(/\s+/)).filter((w) => /^[a-z]{4,}$/.test(w));

let seed = 12345;
const rand = (): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

/**
 * Each round of 66 events writes in its own dialect: every longer lower-case word takes a
 * round-specific ending, so an ECB+ source rewritten in a later round shares no passages with
 * its earlier rewrites (sources do not recur, as in a real feed), while names, numbers and
 * short words still recur across rounds as they do across real events.
 */
function dialect(round: number): string {
  let out = '';
  for (let r = round + 1; r > 0; r = Math.floor(r / 26)) out += String.fromCharCode(97 + (r % 26));
  return out;
}

function rewrite(sentences: string[], marker: string, round: number): string {
  const kept = sentences.filter((_, i) => i === 0 || rand() > 0.2);
  const ending = dialect(round);
  return kept
    .map((s) =>
      s
        .split(' ')
        .map((w) => {
          // a word with punctuation attached ("killed,") is still a word
          const m = /^([a-z]{4,})([^a-z]*)$/.exec(w);
          if (m) return (rand() < 0.6 ? vocabulary[Math.floor(rand() * vocabulary.length)]! : m[1]!) + ending + m[2]!;
          // names take the ending too: a later round's event has other people and places
          const name = /^([A-Z][a-z]{3,})([^a-z]*)$/.exec(w);
          return name ? name[1]! + ending + name[2]! : w;
        })
        .join(' '),
    )
    .map((s, i) => (i === 0 ? `${marker} ${s}` : s))
    .join('\n');
}

const lines: string[] = [];
let reprints = 0;
const base = Date.UTC(2020, 0, 1);
for (let s = 0; lines.length < n; s++) {
  const src = stories[s % stories.length]!;
  const marker = `Zorv${s.toString(36)}`;
  const day = base + s * 43_200_000 + Math.floor(s / stories.length) * 365 * 86_400_000;
  const event: string[] = [];
  for (let k = 0; k < src.length && lines.length < n; k++) {
    const published = new Date(day + k * 3_600_000 * 4).toISOString();
    let text: string;
    if (event.length > 0 && rand() < 0.1) {
      // a reprint of an earlier report of this event, under another outlet's header
      const original = event[Math.floor(rand() * event.length)]!;
      const body = rand() < 0.5 ? original : original.split('\n').slice(0, -1).join('\n') || original;
      text = `(Outlet ${Math.floor(rand() * 500)}) - ${body}`;
      reprints++;
    } else {
      text = `${rewrite(src[k]!, marker, Math.floor(s / stories.length))}\n${marker} Kel${marker}.`;
      event.push(text);
    }
    lines.push(JSON.stringify({ id: `m${lines.length}`, text, published }));
  }
}
const dir = mkdtempSync(join(tmpdir(), 'parallax-bench-mix-'));
const paths = writeParts(dir, lines, files);
const dbPath = join(dir, 'parallax.db');
console.log(`machine: ${machine()}`);
console.log(
  `stream: ${n} dated articles, rewritten ECB+ stories as synthetic events, ${reprints} of them reprints (${((100 * reprints) / n).toFixed(1)} %); ${files} files; workers ${workers}; clustering state saved every ${snapshotEvery || 'default'} new articles`,
);
const tAll = performance.now();
for (const [f, p] of paths.entries()) {
  const t0 = performance.now();
  // the CLI's pipeline (cli/open.ts), with the saved-state interval settable
  const engine = new Engine({ store: SqliteStore.open({ path: dbPath }), stages: [new DedupStage(), new ClusterStage(snapshotEvery ? { snapshotEvery } : {})] });
  const report = await engine.ingest([p], { workers });
  // closing writes the deferred clustering state: part of the cost
  await engine.close();
  const secs = (performance.now() - t0) / 1000;
  const db = new Database(dbPath, { readonly: true });
  const links = db.prepare('SELECT count(*) AS c FROM reuse_links').get() as { c: number };
  const count = db.prepare('SELECT count(*) AS c FROM stories').get() as { c: number };
  db.close();
  console.log(`  file ${f + 1}: ${report.new} articles in ${secs.toFixed(1)} s = ${(report.new / secs).toFixed(0)} articles/s; reuse links in store ${links.c}; stories in store ${count.c}`);
}
const total = (performance.now() - tAll) / 1000;
console.log(`total: ${n} articles in ${total.toFixed(1)} s = ${(n / total).toFixed(0)} articles/s; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
rmSync(dir, { recursive: true, force: true });
