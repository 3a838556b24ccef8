/**
 * `parallax dupes FILE --threshold 0.5` end to end against datasketch's MinHashLSH (128
 * permutations, threshold 0.5, the peer script in ../shared/peers/datasketch), on the same
 * file, in the same run, interleaved.
 *
 * Corpus: 20,000 news-like articles of 600 words from a word-bigram model of the dev articles
 * (ECB+, gun-violence, MMDS and the MRPC sentences in ../shared/data; seeded; rare words and
 * one step in ten back off to word frequencies), so their shingles do not recur across
 * unrelated articles more than in news, plus 1,000 near-duplicates
 * of seeded originals with 3 % of their words edited (a third replaced, a third dropped, a
 * third with a word inserted), shuffled in: 21,000 lines of {id, text}.
 *
 * Ground truth: the injected pairs, and every other pair either tool reports, kept when its
 * exact Jaccard over our 5-word shingles is >= 0.5 (pooled; a pair neither reports and that was
 * not injected is missed by both). Recall is over that truth; datasketch reports unverified
 * candidates, so its precision is not comparable and is not given.
 *
 *   npx tsx bench/dupes-datasketch.ts [--rounds 2] [--articles 20000] [--keep]
 *
 * The machine is shared: each round runs both tools back to back, and the ratio is taken per
 * round and over the medians. Needs ../shared (data and peers): exits 2 without it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mulberry32 } from '../src/dedup/hash.js';
import { intersectionSize, shingle, shingleSet } from '../src/dedup/shingle.js';
import { articleIdFromKey } from '../src/domain/ids.js';
import { normaliseText } from '../src/text/index.js';
import { machine, REPO } from './common.js';

const SHARED = resolve(REPO, '../shared');
const PEER = join(SHARED, 'peers/datasketch');
if (!existsSync(join(SHARED, 'data')) || !existsSync(join(PEER, 'dupes.py'))) {
  console.error(`bench/dupes-datasketch: needs ${SHARED}/data and ${PEER}/dupes.py (the shared checkout beside this one)`);
  process.exit(2);
}
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const ROUNDS = arg('--rounds', 2);
const ARTICLES = arg('--articles', 20_000);
const COPIES = Math.round(ARTICLES / 20);
const WORDS = 600;

/** Dev texts: every article of the three article sets, and the MRPC sentences. */
function devTexts(): string[] {
  const texts: string[] = [];
  for (const set of ['ecbplus', 'gun-violence', 'mmds']) {
    for (const line of readFileSync(join(SHARED, 'data', set, 'articles.jsonl'), 'utf8').split('\n')) {
      if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text);
    }
  }
  for (const line of readFileSync(join(SHARED, 'data/mrpc/msr-para-train.tsv'), 'utf8').split('\n').slice(1)) {
    const cols = line.split('\t');
    if (cols.length >= 5) texts.push(`${cols[3]}\n${cols[4]}`);
  }
  return texts;
}

/** Word-bigram model: successors of each word with their counts (as repeated entries). */
function bigramModel(texts: readonly string[]): { next: Map<string, string[]>; starts: string[]; words: string[] } {
  const next = new Map<string, string[]>();
  const starts: string[] = [];
  const words: string[] = [];
  for (const t of texts) {
    for (const para of t.split(/\n+/)) {
      const w = para.split(/\s+/).filter((x) => x !== '');
      for (let i = 0; i < w.length; i++) {
        words.push(w[i]!);
        if (i === 0 || /[.!?]["')]?$/.test(w[i - 1]!)) starts.push(w[i]!);
        if (i + 1 < w.length) {
          const list = next.get(w[i]!);
          if (list) list.push(w[i + 1]!);
          else next.set(w[i]!, [w[i + 1]!]);
        }
      }
    }
  }
  // words followed by fewer than three different words are chains of their source text
  for (const [w, list] of next) if (new Set(list).size < 3) next.delete(w);
  return { next, starts, words };
}

function generate(model: ReturnType<typeof bigramModel>, rng: () => number, words: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const out: string[] = [];
  let sentences = 0;
  let w = pick(model.starts);
  for (let n = 0; n < words; n++) {
    out.push(w);
    if (/[.!?]["')]?$/.test(w)) {
      sentences++;
      // paragraphs of about three sentences, as news has
      if (sentences % 3 === 0 && n + 1 < words) out.push('\n\n');
      w = pick(model.starts);
      continue;
    }
    // a word followed by one or two different words only would copy
    // whole sentences of the source text into many articles (shared passages between unrelated
    // articles that news does not have): such words, and one step in ten, back off to a word
    // drawn by its corpus frequency
    const succ = model.next.get(w);
    w = succ && rng() >= 0.1 ? pick(succ) : pick(model.words);
  }
  return out.join(' ').replace(/ ?\n\n ?/g, '\n\n');
}

const FILLER = ['local', 'officials', 'reported', 'later', 'the', 'region', 'on', 'Monday', 'new', 'statement', 'residents', 'said', 'according', 'sources'];

function edit(text: string, rate: number, rng: () => number): string {
  const words = text.split(' ');
  for (let i = 0; i < words.length; i++) {
    const r = rng();
    if (r < rate / 3) words[i] = FILLER[Math.floor(rng() * FILLER.length)]!;
    else if (r < (2 * rate) / 3) words[i] = '';
    else if (r < rate) words[i] = `${words[i]} ${FILLER[Math.floor(rng() * FILLER.length)]}`;
  }
  return words.filter((w) => w !== '').join(' ');
}

interface Line {
  id: string;
  text: string;
}

function buildCorpus(): { lines: Line[]; injected: [string, string][] } {
  const rng = mulberry32(22);
  const model = bigramModel(devTexts());
  const lines: Line[] = [];
  for (let i = 0; i < ARTICLES; i++) lines.push({ id: `n${i}`, text: generate(model, rng, WORDS) });
  const injected: [string, string][] = [];
  for (let c = 0; c < COPIES; c++) {
    const src = lines[Math.floor(rng() * ARTICLES)]!;
    lines.push({ id: `c${c}`, text: edit(src.text, 0.03, rng) });
    injected.push([src.id, `c${c}`]);
  }
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  return { lines, injected };
}

const key = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): { secs: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 1 << 30, cwd: REPO });
  const secs = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { secs, out: r.stdout };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

console.log(`machine: ${machine()} (shared with other sessions: load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
const t0 = performance.now();
const { lines, injected } = buildCorpus();
const dir = mkdtempSync(join(tmpdir(), 'parallax-dupes-bench-'));
const file = join(dir, 'corpus.jsonl');
writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
console.log(
  `corpus: ${lines.length} articles (${ARTICLES} from a word-bigram model of the dev articles + ${COPIES} copies with 3 % of words edited), ${(readFileSync(file).length / 2 ** 20).toFixed(1)} MB, built in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

// our ids are derived from the input's identity (its id within its file), so the bench maps them back
const ours = new Map<string, string>();
for (const l of lines) ours.set(articleIdFromKey(`id:\n${l.id}`), l.id);

console.log('building dist/ (the CLI as users run it) ...');
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: 'inherit' });

const pyEnv = { ...process.env, PYTHONPATH: PEER };
const runs: { ours: number; peer: number }[] = [];
let ourPairs = new Set<string>();
let peerPairs = new Set<string>();
for (let r = 0; r < ROUNDS; r++) {
  // alternate which goes first, so a burst of load on the shared machine hits both alike
  const order = r % 2 === 0 ? ['ours', 'peer'] : ['peer', 'ours'];
  const round = { ours: 0, peer: 0 };
  for (const who of order) {
    if (who === 'ours') {
      const { secs, out } = timed(process.execPath, [join(REPO, 'bin/parallax.js'), 'dupes', file, '--threshold', '0.5', '--json']);
      round.ours = secs;
      ourPairs = new Set(
        out
          .split('\n')
          .filter((x) => x)
          .map((x) => {
            const l = JSON.parse(x) as { a: string; b: string };
            return key(ours.get(l.a) ?? l.a, ours.get(l.b) ?? l.b);
          }),
      );
    } else {
      const { secs, out } = timed('python3', [join(PEER, 'dupes.py'), file, '0.5'], pyEnv);
      round.peer = secs;
      peerPairs = new Set(
        out
          .split('\n')
          .filter((x) => x)
          .map((x) => {
            const l = JSON.parse(x) as { a: string; b: string };
            return key(l.a, l.b);
          }),
      );
    }
  }
  runs.push(round);
  console.log(`round ${r + 1}: parallax ${round.ours.toFixed(2)} s, datasketch ${round.peer.toFixed(2)} s, ratio ${(round.peer / round.ours).toFixed(1)}x`);
}

// pooled ground truth, verified exactly with our shingles
const byId = new Map(lines.map((l) => [l.id, l]));
const sets = new Map<string, Uint32Array>();
const setOf = (id: string): Uint32Array => {
  let s = sets.get(id);
  if (!s) {
    s = shingleSet(shingle(normaliseText(byId.get(id)!.text), 5));
    sets.set(id, s);
  }
  return s;
};
const jaccard = (k: string): number => {
  const [a, b] = k.split('|') as [string, string];
  const x = setOf(a);
  const y = setOf(b);
  const i = intersectionSize(x, y);
  return i / (x.length + y.length - i);
};
const truth = new Set<string>();
for (const [a, b] of injected) if (jaccard(key(a, b)) >= 0.5) truth.add(key(a, b));
const injectedBelow = injected.length - truth.size;
for (const k of new Set([...ourPairs, ...peerPairs])) if (!truth.has(k) && jaccard(k) >= 0.5) truth.add(k);
const recall = (found: Set<string>): number => [...truth].filter((k) => found.has(k)).length / truth.size;
const precisionOurs = [...ourPairs].filter((k) => truth.has(k)).length / Math.max(1, ourPairs.size);
const jOf = [...truth].map(jaccard).sort((a, b) => a - b);
console.log(
  `truth: ${truth.size} pairs with Jaccard >= 0.5 (${injected.length} injected, ${injectedBelow} of them below 0.5; Jaccard of truth pairs ${jOf[0]?.toFixed(2)}-${jOf[jOf.length - 1]?.toFixed(2)}, median ${median(jOf).toFixed(2)})`,
);
console.log(`parallax: ${ourPairs.size} pairs reported, recall ${recall(ourPairs).toFixed(4)}, precision ${precisionOurs.toFixed(4)}`);
console.log(`datasketch: ${peerPairs.size} candidate pairs, recall ${recall(peerPairs).toFixed(4)}`);
const mo = median(runs.map((r) => r.ours));
const mp = median(runs.map((r) => r.peer));
console.log(`median over ${ROUNDS} rounds: parallax ${mo.toFixed(2)} s, datasketch ${mp.toFixed(2)} s: ${(mp / mo).toFixed(1)} times faster`);
if (process.argv.includes('--keep')) console.log(`corpus kept at ${file}`);
else rmSync(dir, { recursive: true, force: true });
