/**
 * Hostile inputs for the fuzzer, from a seed: plain text, HTML pages, feeds and JSON Lines
 * files built from what broke or could break a reader (long runs of white space, punctuation
 * and repeated tokens, deep nesting, stray and NUL bytes, UTF-16 without a mark, lone
 * surrogates, random bytes, malformed XML and JSON), mixed with good articles. Every good
 * article carries a marker word of its own, so the fuzzer can check it was stored exactly once.
 */

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  float(): number {
    return this.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(this.next() * 256);
    return b;
  }
}

/** Largest input the fuzzer writes: the issue's bound is "any input under 2 MB". */
export const MAX_INPUT_BYTES = 2 * 1024 * 1024 - 1;

export interface Generated {
  readonly name: string;
  readonly kind: string;
  readonly bytes: Buffer;
  /** Markers of the articles in it that must be stored (each exactly once). */
  readonly good: readonly string[];
}

const ATOMS = [
  ' ',
  '  ',
  '\t',
  '\n',
  '\n\n',
  ' \n',
  '\r\n',
  '\u00a0',
  '\u3000',
  '.',
  ',',
  '"',
  "'",
  '(',
  ')',
  '-',
  '--',
  ':',
  ';',
  '!',
  '?',
  '...',
  '\u2014',
  '\u00ab',
  '\u00bb',
  '\u201c',
  '\u201d',
  '\u3002',
  '1',
  '12 ',
  '1,',
  '1.5',
  '$',
  '%',
  '\u20ac1',
  ' million',
  'date ',
  'date:',
  '2024-02-23 ',
  '(AFP- ',
  '(Reuters) - ',
  'By ',
  'BY ',
  'Mr. ',
  'U.S. ',
  'WASHINGTON ',
  'WASHINGTON (',
  'said ',
  'according to ',
  'http://',
  'www.',
  '&amp;',
  '&#',
  '<',
  '>',
  '</',
  '<p>',
  '<div>',
  '{',
  '}',
  '[',
  ']',
  'a',
  'A',
  'A.',
  'aa.',
  'the ',
  'Title: ',
  'Published ',
  'copyright ',
  '\u00a9 ',
  '\\',
  '/',
  '#',
  '*',
  '=',
  '@',
  '\ufffd',
  '\u200b',
  '\u00ad',
];

const WORDS = ['harbour', 'ferry', 'council', 'minister', 'storm', 'report', 'market', 'river', 'bridge', 'school', 'budget', 'court', 'station', 'village', 'election', 'museum'];

/** Letters only, so tokenisers, normalisation and full-text search keep it whole. */
function markerWord(seed: number, n: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz';
  let s = 'fzq';
  for (let x = seed * 100_003 + n; ; x = Math.floor(x / 20)) {
    s += alphabet[x % 20];
    if (x < 20) break;
  }
  return `${s}x`;
}

/** A few sentences of plain prose with its marker word. */
function proseWith(rng: Rng, marker: string): string {
  const sentences: string[] = [];
  const count = rng.int(3, 7);
  for (let i = 0; i < count; i++) {
    const w = Array.from({ length: rng.int(6, 14) }, () => rng.pick(WORDS));
    if (i === 1) w.splice(rng.int(0, w.length), 0, marker);
    sentences.push(`The ${w.join(' ')} was reported on Tuesday by officials.`);
  }
  return sentences.join(' ');
}

/** A run of one or two atoms repeated to `len` characters, then maybe a tail that makes a match fail late. */
function hostileRun(rng: Rng, len: number): string {
  const a = rng.pick(ATOMS);
  const b = rng.chance(0.5) ? rng.pick(ATOMS) : '';
  const unit = a + b;
  return unit.repeat(Math.max(1, Math.floor(len / unit.length))) + rng.pick(['', 'x', '!', '\n', ')', 'Reuters', '5%', '2024']);
}

function sizeFor(rng: Rng): number {
  // mostly small, sometimes near the 2 MB bound
  const r = rng.float();
  if (r < 0.5) return rng.int(1, 4_000);
  if (r < 0.85) return rng.int(4_000, 120_000);
  return rng.int(120_000, 1_500_000);
}

function fit(b: Buffer): Buffer {
  return b.length > MAX_INPUT_BYTES ? b.subarray(0, MAX_INPUT_BYTES) : b;
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function deepMarkup(rng: Rng, depth: number): string {
  const tag = rng.pick(['div', 'span', 'b', 'i', 'section', 'td', 'table', 'ul', 'li', 'a', 'font', 'x-custom', 'svg', 'p']);
  const open = rng.pick([`<${tag}>`, `<${tag} class="c">`, `<${tag}/>`, `<${tag} title='>'>`]);
  const close = rng.chance(0.5) ? `</${tag}>` : '';
  return open.repeat(depth) + 'deep text' + close.repeat(depth);
}

/** The generators, by kind; each returns one file. `n` numbers the markers within this seed. */
export function generate(rng: Rng, seed: number, counter: { n: number }): Generated {
  const kind = rng.pick(['text', 'text-run', 'text-bytes', 'html', 'html-deep', 'feed', 'feed-bad', 'jsonl', 'jsonl-bad', 'binary', 'utf16']);
  const good: string[] = [];
  const newMarker = (): string => {
    const m = markerWord(seed, counter.n++);
    good.push(m);
    return m;
  };
  const name = `${kind}-${counter.n}`;
  let bytes: Buffer;
  switch (kind) {
    case 'text': {
      // good prose behind a hostile header or inside hostile runs
      const head = rng.chance(0.5) ? hostileRun(rng, rng.int(1, 50_000)) + '\n\n' : '';
      const tail = rng.chance(0.5) ? hostileRun(rng, rng.int(1, 50_000)) : '';
      const prose = proseWith(rng, newMarker());
      bytes = Buffer.from(`Harbour report\n\n${head}${prose}\n${tail}`);
      // noise longer than the prose makes it noise, rightly refused (NO_CONTENT): nothing promised
      const visible = (head + tail).replace(/\s/g, '').length;
      if (visible * 3 > prose.length) good.length = 0;
      break;
    }
    case 'text-run':
      bytes = Buffer.from(Array.from({ length: rng.int(1, 4) }, () => hostileRun(rng, sizeFor(rng) / 2)).join(''));
      break;
    case 'text-bytes': {
      // good UTF-8 prose with stray bytes: read, with the bad bytes replaced
      const text = Buffer.from(`Le président a déclaré à l’AFP. ${proseWith(rng, newMarker())}`);
      const at = rng.int(0, text.length);
      bytes = Buffer.concat([text.subarray(0, at), Buffer.from([rng.pick([0x80, 0xe9, 0xff, 0xc3, 0xa0])]), text.subarray(at)]);
      break;
    }
    case 'utf16': {
      const text = proseWith(rng, newMarker());
      const le = Buffer.from(text, 'utf16le');
      bytes = rng.pick([le, Buffer.from(le).swap16(), Buffer.concat([Buffer.from([0xff, 0xfe]), le])]);
      break;
    }
    case 'html': {
      const m = newMarker();
      const run = rng.chance(0.5) ? hostileRun(rng, rng.int(1, 30_000)) : '';
      const noise = run ? `<div>${escapeXml(run)}</div>` : '';
      // noise longer than the prose makes the page noise (NO_CONTENT): nothing promised then
      if (run.replace(/\s/g, '').length * 3 > 400) good.length = 0;
      const unclosed = '<p>para text here. '.repeat(rng.int(0, 400));
      bytes = Buffer.from(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbour news</title></head><body>${noise}<article><h1>Ferry aground</h1>${unclosed}<p>${proseWith(rng, m)}</p><p>${proseWith(rng, m)}</p></article><script>${'<div>'.repeat(rng.int(0, 2000))}</script></body></html>`,
      );
      break;
    }
    case 'html-deep':
      bytes = Buffer.from(`<!doctype html><html><body>${deepMarkup(rng, rng.int(200, 120_000))}</body></html>`);
      break;
    case 'feed':
    case 'feed-bad': {
      const items: string[] = [];
      const count = rng.int(1, 12);
      for (let i = 0; i < count; i++) {
        const hostile = kind === 'feed-bad' && rng.chance(0.5);
        if (hostile) {
          const body = rng.pick([escapeXml(deepMarkup(rng, rng.int(300, 50_000))), escapeXml(hostileRun(rng, rng.int(1, 80_000))), '', `<![CDATA[${deepMarkup(rng, rng.int(300, 20_000))}]]>`]);
          items.push(`<item><title>${escapeXml(hostileRun(rng, rng.int(1, 200)))}</title><description>${body}</description></item>`);
        } else {
          const m = newMarker();
          items.push(
            `<item><title>Item ${m}</title><link>https://news.example/${m}</link><description>${escapeXml(`<p>${proseWith(rng, m)}</p>`)}</description><pubDate>Tue, 03 Jun 2025 10:00:00 GMT</pubDate></item>`,
          );
        }
      }
      let xml = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Coast News</title>${items.join('')}</channel></rss>`;
      if (kind === 'feed-bad' && rng.chance(0.25)) {
        // malformed as a whole: the good items in it are lost with it, so none is promised
        good.length = 0;
        xml = rng.pick([
          xml.slice(0, rng.int(1, xml.length - 1)),
          xml.replace('</channel>', ''),
          `<!DOCTYPE rss [<!ENTITY a "${'x'.repeat(1000)}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>${xml.replace('Coast News', '&b;&b;&b;&b;')}`,
          `<rss>${'<channel>'.repeat(rng.int(100, 50_000))}`,
        ]);
      }
      bytes = Buffer.from(xml);
      break;
    }
    case 'jsonl':
    case 'jsonl-bad': {
      const lines: Buffer[] = [];
      const count = rng.int(1, 30);
      for (let i = 0; i < count; i++) {
        if (kind === 'jsonl-bad' && rng.chance(0.4)) {
          lines.push(
            rng.pick([
              Buffer.from(`{"text": "nul\u0000byte"}`),
              Buffer.from([0x7b, 0x00, 0x00, 0x22, 0xff]),
              Buffer.from(`{"html": ${JSON.stringify(deepMarkup(rng, rng.int(300, 30_000)))}}`),
              Buffer.from(`{"text": ${JSON.stringify(hostileRun(rng, rng.int(1, 60_000)))}}`),
              Buffer.from(`${'['.repeat(rng.int(10, 100_000))}`),
              Buffer.from(`{"text": 5}`),
              Buffer.from(`{"text": "ok", "published": ${JSON.stringify(hostileRun(rng, rng.int(1, 2000)))}}`),
              Buffer.from(`{broken`),
              Buffer.from('   '),
              rng.bytes(rng.int(1, 200)),
            ]),
          );
        } else {
          const m = newMarker();
          const record: Record<string, string> = rng.chance(0.3) ? { html: `<p>${proseWith(rng, m)}</p>` } : { text: proseWith(rng, m) };
          if (rng.chance(0.3)) record['title'] = `Lone \ud800 surrogate ${m}`;
          // a bad byte inside a good record costs nothing but the byte
          const line = Buffer.from(JSON.stringify(record));
          lines.push(rng.chance(0.1) ? Buffer.concat([line.subarray(0, 12), Buffer.from([0xe9]), line.subarray(12)]) : line);
        }
      }
      bytes = Buffer.concat(lines.flatMap((l) => [l, Buffer.from(rng.chance(0.1) ? '\r\n' : '\n')]));
      break;
    }
    default: {
      // random bytes, sometimes behind a plausible start
      const head = rng.pick(['', '<html>', '{"text":', '<?xml version="1.0"?><rss>', 'date 2024-01-01 ']);
      bytes = Buffer.concat([Buffer.from(head), rng.bytes(rng.chance(0.7) ? rng.int(1, 64) : rng.int(64, 200_000))]);
    }
  }
  const ext = kind.startsWith('jsonl')
    ? rng.pick(['.jsonl', '.json', ''])
    : kind.startsWith('feed')
      ? rng.pick(['.xml', '.rss', ''])
      : kind.startsWith('html')
        ? rng.pick(['.html', '.htm', '.txt'])
        : rng.pick(['.txt', '', '.dat']);
  return { name: `${name}${ext}`, kind, bytes: fit(bytes), good: bytes.length > MAX_INPUT_BYTES ? [] : good };
}
