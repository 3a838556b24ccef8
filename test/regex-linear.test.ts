import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractClaims, extractFigures, extractQuotes, findAttribution } from '../src/claims/index.js';
import { buildArticle, canonicalUrl, dateFromUrl } from '../src/ingest/build.js';
import { decodeBytes } from '../src/ingest/decode.js';
import { emptyDraft, toIsoDate } from '../src/ingest/draft.js';
import { htmlToText } from '../src/ingest/html.js';
import { parseJsonlLine } from '../src/ingest/jsonl.js';
import { markupDepthOver } from '../src/ingest/markup-depth.js';
import { extractTextMeta } from '../src/ingest/metadata.js';
import { sniffKind } from '../src/ingest/sniff.js';
import { readText } from '../src/ingest/text.js';
import { analyse, normaliseInline, normaliseText, splitSentences, tokenize } from '../src/text/index.js';

/**
 * Every function that runs regular expressions (or scans) over untrusted text, on long runs of
 * white space, punctuation and repeated tokens. A backtracking pattern that is quadratic shows
 * at these lengths as seconds (INLINE_HEADER took 11 s on 80 KB of spaces); linear code takes
 * milliseconds. The bound is loose, for a shared machine, and far below what quadratic needs.
 */
const READERS: Record<string, (s: string) => unknown> = {
  readText: (s) => readText(s, { source: 'x', fetchedAt: 'x' }),
  extractTextMeta,
  normaliseText,
  normaliseInline,
  splitSentences,
  tokenize,
  analyse,
  findAttribution,
  extractFigures,
  extractQuotes,
  extractClaims: (s) => extractClaims([s, ...splitSentences(s).map((sp) => s.slice(sp.start, sp.end))]),
  sniffKind: (s) => sniffKind(s, 'a.txt'),
  toIsoDate,
  canonicalUrl: (s) => canonicalUrl(`http://a.example/${s}`),
  dateFromUrl: (s) => dateFromUrl(`http://a.example/${s}`),
  decodeBytes: (s) => decodeBytes(Buffer.from(s), 'x'),
  markupDepthOver: (s) => markupDepthOver(s, 256),
  htmlToText: (s) => htmlToText(s.slice(0, 30_000), 'x'),
  jsonl: (s) => parseJsonlLine(JSON.stringify({ text: s, published: s.slice(0, 200) }), 1, 'x', 'x'),
  buildArticle: (s) => buildArticle(emptyDraft('x', s, 'x')),
};

const ATOMS = [
  ' ',
  '\t',
  '\n',
  '\n\n',
  ' \n',
  '\r\n',
  '\u00a0',
  '.',
  ',',
  '"',
  "'",
  '(',
  ')',
  '-',
  ':',
  ';',
  '!',
  '?',
  '/',
  '<',
  '>',
  '&',
  '#',
  '%',
  '$',
  '\u2014',
  '\u00ab',
  '\u201c',
  '\u3002',
  '1',
  '12 ',
  '1,',
  '1.',
  '1-',
  '\u20ac1',
  'a',
  'A',
  'A.',
  'A. ',
  'U.S. ',
  'aa.',
  'Mr. ',
  'date ',
  'date:',
  '2024-02-23 ',
  '(AFP- ',
  '(Reuters) - ',
  'By ',
  'said ',
  'according to ',
  'the ',
  'WASHINGTON ',
  'http://',
  'Title: ',
  'copyright ',
  '<p>',
  '<div>',
];

/** A text of a few long runs: each run one or two atoms repeated, then a tail that fails a match late. */
const hostile = fc
  .array(fc.tuple(fc.constantFrom(...ATOMS), fc.constantFrom('', ...ATOMS), fc.integer({ min: 1, max: 30_000 }), fc.constantFrom('', 'x', '!', ')', '\n', 'Reuters', '5%')), {
    minLength: 1,
    maxLength: 3,
  })
  .map((runs) => runs.map(([a, b, n, tail]) => (a + b).repeat(Math.ceil(n / (a + b).length)) + tail).join(''));

function run(f: (s: string) => unknown, s: string): number {
  const t0 = performance.now();
  try {
    f(s);
  } catch {
    // refusing the input is fine; taking long is not
  }
  return performance.now() - t0;
}

describe('no regular expression on untrusted text is worse than linear', () => {
  for (const f of Object.values(READERS)) run(f, 'Warm up. By John Smith (Reuters) - 2024-01-01 said 5%.\n'); // first-call costs (models, jsdom)

  it('regressions: the audit and fuzz inputs that took seconds', () => {
    const cases: [string, string][] = [
      ['readText', `${' '.repeat(80_000)}x`],
      ['readText', `date${' '.repeat(80_000)}x`],
      ['extractTextMeta', `${'- '.repeat(40_000)}x`],
      ['splitSentences', `${'\n'.repeat(80_000)}x`],
      ['extractClaims', `${'A. '.repeat(20_000)}x`],
      ['canonicalUrl', `${'/'.repeat(80_000)}x`],
    ];
    for (const [name, input] of cases) expect(run(READERS[name]!, input), name).toBeLessThan(1500);
  });

  it('property: every reader takes at most a few seconds on 100 KB-scale hostile runs', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        for (const [name, f] of Object.entries(READERS)) {
          const ms = run(f, s);
          if (ms > 3000) throw new Error(`${name} took ${Math.round(ms)} ms on ${JSON.stringify(s.slice(0, 60))}... (${s.length} chars)`);
        }
      }),
      { numRuns: 12, seed: 19 },
    );
  }, 240_000);
});
