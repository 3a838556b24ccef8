import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES } from './paths.js';

/**
 * A store's worth of articles for the browsing tests, built from the bundled ECB+ examples
 * (never ../shared): the example texts get outlets and dates, one gets an exact reprint by a
 * later outlet (a known original), one is dated by day only and one stays undated; then
 * `fillers` one-article stories of made-up words (a seeded generator), so lists need pages.
 */
export interface BrowseCorpus {
  readonly file: string;
  /** outlets given to the Qeshm earthquake reports, in file order */
  readonly quakeOutlets: readonly string[];
  readonly fillers: number;
  /** words only the large story's articles contain, and how many outlets report it */
  readonly bigWord: string;
  readonly bigOutlets: number;
}

const QUAKE_OUTLETS = ['Tehran Times', 'Gulf News', 'Reuters', 'BBC News', 'Al Arabiya', 'Press TV'];

function syllables(seed: number): () => string {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
  const c = 'bdfghklmnprstvz';
  const v = 'aeiou';
  return () => Array.from({ length: 3 }, () => c[next() % c.length]! + v[next() % v.length]!).join('');
}

export function writeBrowseCorpus(dir: string, fillers = 45): BrowseCorpus {
  const rows = readFileSync(join(EXAMPLES, 'ecbplus-sample.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; text: string; url: string | null });
  const out: Record<string, unknown>[] = [];
  let quake = 0;
  rows.forEach((r, i) => {
    const isQuake = r.id.startsWith('20_');
    const outlet = isQuake ? QUAKE_OUTLETS[quake++ % QUAKE_OUTLETS.length]! : ['People', 'E! News', 'Access Hollywood', 'CBS News'][i % 4]!;
    // the quake reports over two days, hours apart; one Hollywood piece dated by day only, one undated
    const published = isQuake ? new Date(Date.UTC(2005, 10, 27, 8 + quake * 5, 30)).toISOString() : i === 0 ? '2013-05-02' : i === 1 ? undefined : `2013-05-0${i}T15:00:00Z`;
    out.push({ id: r.id, url: r.url ?? `https://${outlet.toLowerCase().replace(/\W+/g, '')}.example/${r.id}`, text: r.text, outlet, ...(published ? { published } : {}) });
  });
  // an exact reprint of the first quake report, a day later: its original is known
  const first = rows.find((r) => r.id.startsWith('20_'))!;
  out.push({ id: 'reprint-1', url: 'https://wire-copies.example/quake', text: first.text, outlet: 'Wire Copies Daily', published: new Date(Date.UTC(2005, 10, 28, 23, 0)).toISOString() });
  // a large story: one report and 27 rewrites of it, each from its own outlet, over two days
  const big = syllables(7);
  const bw = Array.from({ length: 40 }, big);
  const bigWord = bw[0]!;
  const base = Array.from(
    { length: 6 },
    (_, k) => `${bw[k * 6]!.replace(/^./, (ch) => ch.toUpperCase())} ${bw[k * 6 + 1]} ${bw[k * 6 + 2]} the ${bw[k * 6 + 3]} of ${bw[k * 6 + 4]} ${bw[k * 6 + 5]}.`,
  );
  const bigOutlets = 28;
  for (let i = 0; i < bigOutlets; i++) {
    const own = syllables(500 + i);
    const extra = `${own().replace(/^./, (ch) => ch.toUpperCase())} ${own()} said ${own()} ${own()} on ${own()}.`;
    out.push({
      id: `big-${i}`,
      url: `https://big${i}.example/story`,
      title: `${bw[0]!.replace(/^./, (ch) => ch.toUpperCase())} ${bw[1]} report ${i + 1}`,
      text: [...base.slice(0, 4 + (i % 3)), extra].join('\n'),
      outlet: `Big Outlet ${i + 1}`,
      published: new Date(Date.UTC(2022, 2, 1, 6) + i * 97 * 60_000).toISOString(),
    });
  }
  for (let i = 0; i < fillers; i++) {
    const word = syllables(1000 + i);
    const words = Array.from({ length: 12 }, word);
    const name = `${words[0]!.replace(/^./, (ch) => ch.toUpperCase())} ${words[1]!.replace(/^./, (ch) => ch.toUpperCase())}`;
    const text = `${name} opened the ${words[2]} ${words[3]} in ${words[4]} on Tuesday.\nThe ${words[5]} ${words[6]} drew ${words[7]} ${words[8]} and ${words[9]} ${words[10]} to the ${words[11]}.`;
    out.push({
      id: `filler-${i}`,
      url: `https://filler${i % 5}.example/${i}`,
      title: `${name} opens the ${words[2]} ${words[3]}`,
      text,
      outlet: `Filler Post ${i % 5}`,
      published: new Date(Date.UTC(2020, 0, 1 + i, 12)).toISOString(),
    });
  }
  const file = join(dir, 'browse.jsonl');
  writeFileSync(file, `${out.map((o) => JSON.stringify(o)).join('\n')}\n`);
  return { file, quakeOutlets: QUAKE_OUTLETS, fillers, bigWord, bigOutlets };
}
