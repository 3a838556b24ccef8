import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Deduplicator } from '../src/dedup/deduplicator.js';
import { mulberry32 } from '../src/dedup/hash.js';
import { leanArticle, mayBeDated, reprintInput } from '../src/ingest/lean.js';
import { emptyDraft } from '../src/ingest/draft.js';
import { dedupDoc } from '../src/stages/dedup.js';
import { makeVariant } from './helpers/synthetic.js';
import { shingleSet } from '../src/dedup/shingle.js';
import { winnow } from '../src/dedup/index-lsh.js';
import { makeParams } from '../src/dedup/signature.js';
import { buildArticle, looksLikeText } from '../src/ingest/build.js';
import { readInputs } from '../src/ingest/read.js';
import { normaliseText } from '../src/text/index.js';
import { runCli } from './helpers/cli.js';
import { EXAMPLES } from './helpers/paths.js';

/**
 * The lean path of `parallax dupes` (ingest/lean.ts): the same ids, texts, dates, credits
 * and titles as whole articles, and the same pairs as the detector over whole articles, in
 * this thread and in workers.
 */
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'parallax-dupes-lean-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const inputs = [EXAMPLES, join(here, 'fixtures/html'), join(here, 'fixtures/feeds'), join(here, 'fixtures/ecbplus-topic14.jsonl')];

/** normaliseText as it was written first (a line array), the reference for the one-pass version. */
function normaliseReference(raw: string): string {
  let s = raw.normalize('NFC');
  s = s.replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n');
  s = s.replace(/[\u00AD\u200B\u2060\uFEFF\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '');
  s = s.replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB\u301D\u301E\uFF02]/g, '"').replace(/[\u2018\u2019\u201A\u201B\u2032\u2039\u203A\uFF07`\u00B4]/g, "'");
  s = s.replace(/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]/g, '-').replace(/\u2026/g, '...');
  s = s.replace(/[\t \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g, ' ');
  s = s
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
  return s.trim();
}

/** The prose check by its definition, a code point at a time (ingest/build.ts looksLikeText). */
function looksLikeTextReference(text: string): boolean {
  const scriptOf = (ch: string): string =>
    /\p{Script=Latin}/u.test(ch)
      ? 'Latin'
      : /\p{Script=Cyrillic}/u.test(ch)
        ? 'Cyrillic'
        : /\p{Script=Greek}/u.test(ch)
          ? 'Greek'
          : /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC]/u.test(ch)
            ? 'CJK'
            : 'other';
  let letters = 0;
  let visible = 0;
  let replaced = 0;
  let latin = 0;
  let accented = 0;
  const runs: string[][] = [[]];
  for (const ch of text) {
    if (/\p{L}/u.test(ch)) {
      const script = scriptOf(ch);
      runs[runs.length - 1]!.push(script);
      letters++;
      visible++;
      if (script === 'Latin') {
        latin++;
        if (ch.codePointAt(0)! > 0x7f) accented++;
      }
      continue;
    }
    runs.push([]);
    if (ch === ' ' || ch === '\n' || ch === '\t') continue;
    visible++;
    if (ch === '\ufffd') replaced++;
  }
  // a word: a run of two letters or more; mixed: its letters are of more than one system
  const words = runs.filter((r) => r.length >= 2);
  const mixed = words.filter((r) => new Set(r).size > 1).length;
  return words.length >= 2 && letters * 2 >= visible && replaced * 10 <= letters && (latin * 2 < letters || accented * 2 <= latin) && mixed * 4 <= words.length;
}

describe('the lean path of dupes', () => {
  it('normalises text as the line-by-line reference does', () => {
    const chars = [
      'a',
      'B',
      ' ',
      '  ',
      '\t',
      '\n',
      '\r',
      '\r\n',
      '\u00A0',
      '\u2028',
      '\u0085',
      '\u000B',
      '\uFEFF',
      '\u3000',
      '\u2019',
      '\u201C',
      '\u2014',
      '\u2026',
      '\u00AD',
      'é',
      'e\u0301',
      '.',
      '\u4E2D',
      '\u00FF',
    ];
    // without a character that needs NFC (the one-pass path), and with one (the passes)
    for (const pool of [chars.filter((c) => c !== 'e\u0301'), chars]) {
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 60 }), (parts) => {
          const raw = parts.join('');
          expect(normaliseText(raw)).toBe(normaliseReference(raw));
        }),
        { numRuns: 3000 },
      );
    }
  });

  it('normalises as the reference on any characters, where the first pass spares NFC and the replacements', () => {
    // Latin-1 with and without the characters replaced, what NFC changes (U+2000, U+212B, a
    // combining accent after a replaced quote, astral ones), surrogate halves, wide letters
    const chars = [
      'a',
      ' ',
      '\n',
      '`',
      '\u00AB',
      '\u00B4',
      '\u0085',
      '\u0090',
      '\u00A0',
      '\u00FF',
      '\u0100',
      '\u0142',
      '\u02FF',
      '\u0300',
      '\u0301',
      '\u2000',
      '\u2001',
      '\u212B',
      '\u2019',
      '\u3000',
      '\uFF02',
      '\u4E2D',
      '\uD834\uDD5E',
      '\uD834',
      '\uDD5E',
      '\u1161',
      'A\u030A',
      // Chinese, kana with a voicing mark, Hangul with a final jamo, Thai and Devanagari marks, NFC singletons
      '\u304B',
      '\u3099',
      '\uAC00',
      '\u11A8',
      '\u0E01',
      '\u0E38',
      '\u0915',
      '\u093F',
      '\u1FEF',
      '\uF900',
      '\u2126',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 40 }), (parts) => {
        const raw = parts.join('');
        expect(normaliseText(raw)).toBe(normaliseReference(raw));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (raw) => {
        expect(normaliseText(raw)).toBe(normaliseReference(raw));
      }),
      { numRuns: 3000 },
    );
    // every character below U+0300 is its own NFC, alone and after any other of them
    for (let c = 0; c < 0x300; c++) expect(String.fromCharCode(c).normalize('NFC')).toBe(String.fromCharCode(c));
    // NFC combines a character with the one before it only when it follows another in some
    // character's decomposition: normaliseText runs NFC for every such character
    const combining = new Set<number>();
    for (let cp = 0x300; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const d = [...String.fromCodePoint(cp).normalize('NFD')];
      for (let i = 1; i < d.length; i++) combining.add(d[i]!.codePointAt(0)!);
    }
    for (const c of combining) if (c <= 0xffff) expect(normaliseText(`a${String.fromCharCode(c)}b`), c.toString(16)).toBe(normaliseReference(`a${String.fromCharCode(c)}b`));
  });

  it('checks prose as the code point by code point definition does', () => {
    const parts = [
      'a',
      'bc',
      'Zed ',
      '0',
      ' ',
      '\n',
      '\t',
      '-',
      '.',
      'é',
      'Ü',
      'ł',
      'ß',
      '\u0301',
      '\ufffd',
      'Ж',
      'Ω',
      '東',
      'タ',
      'ｳ',
      '\u0E2A',
      '\u0663',
      '\uD835\uDC00',
      '\uD83D\uDE00',
      '\uD800',
      '\uDC00',
      'word ',
      'other words. ',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 30 }), (xs) => {
        const text = xs.join('');
        expect(looksLikeText(text), JSON.stringify(text)).toBe(looksLikeTextReference(text));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        expect(looksLikeText(text), JSON.stringify(text)).toBe(looksLikeTextReference(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('tells an article certainly without a date from one that may have one, as reading its date would', () => {
    const body = 'Police said two people were hurt in the blast on the east side of the city on Tuesday night.';
    const cases: { text: string; url?: string; given?: string; published: string | null; dated: boolean }[] = [
      { text: body, published: null, dated: false },
      { text: `Published May 03, 2013\n\n${body}`, published: '2013-05-03', dated: true },
      { text: `2014-09-17\n\n${body}`, published: '2014-09-17', dated: true },
      // a short line with a year and a month, which chrono must be asked about: no date in it
      { text: `April 11, 2001. A. With its batteries have been in Townville.\n\n${body}`, published: null, dated: true },
      // a year alone is no day: not asked
      { text: `Criminal Court. 9, 2014\n\n${body}`, published: null, dated: false },
      // the date from the URL
      { text: body, url: 'https://example.com/news/2019/03/05/blast.html', published: '2019-03-05', dated: true },
      // the date the input gives
      { text: body, given: '2020-01-02', published: '2020-01-02', dated: true },
    ];
    for (const c of cases) {
      const given = c.given ? { value: c.given, evidence: { source: 'jsonl' as const, detail: 'published' } } : null;
      const draft = { ...emptyDraft('t.jsonl:1', c.text), url: c.url ?? null, externalId: 'x1', published: given };
      const lean = leanArticle(reprintInput(draft));
      expect(mayBeDated(lean), c.text).toBe(c.dated);
      const doc = dedupDoc(lean);
      expect(doc.dated, c.text).toBe(c.dated);
      expect(doc.published, c.text).toBe(c.published);
      // once read, the date itself answers
      expect(mayBeDated(lean), c.text).toBe(c.published !== null);
      // a whole article answers by its date
      expect(mayBeDated(buildArticle(draft)), c.text).toBe(c.published !== null);
    }
  });

  it('winnows as the definition does: the minimum of each window, rightmost on ties, selected once', () => {
    const reference = (h: Uint32Array, window: number): number[] => {
      const n = h.length;
      const w = Math.min(window, Math.max(1, n));
      const cap = Math.ceil((2 * n) / (w + 1)) + 2;
      const picks: number[] = [];
      for (let r = w - 1; r < n; r++) {
        let at = r - w + 1;
        for (let i = at; i <= r; i++) if (h[i]! <= h[at]!) at = i;
        if (picks[picks.length - 1] === at) continue;
        if (picks.length === cap) break;
        picks.push(at);
      }
      return [...new Set(picks.map((p) => h[p]!))].sort((a, b) => a - b);
    };
    // hashes spread over 32 bits, and few values (ties everywhere)
    const values = fc.oneof(fc.nat({ max: 0xffffffff }), fc.nat({ max: 3 }), fc.nat({ max: 40 }));
    fc.assert(
      fc.property(fc.array(values, { maxLength: 400 }), fc.integer({ min: 1, max: 60 }), (xs, w) => {
        const h = Uint32Array.from(xs);
        expect(Array.from(winnow(h, w))).toEqual(reference(h, w));
      }),
      { numRuns: 3000 },
    );
    // a window below one shingle is one shingle, a fraction is cut to whole shingles
    const h = Uint32Array.from([5, 3, 9, 1, 7]);
    expect(Array.from(winnow(h, 0))).toEqual(reference(h, 1));
    expect(Array.from(winnow(h, -3))).toEqual(reference(h, 1));
    expect(Array.from(winnow(h, Number.NaN))).toEqual(reference(h, 1));
    expect(Array.from(winnow(h, 2.5))).toEqual(reference(h, 2));
    expect(() => makeParams({ anchorWindow: 0 })).toThrow(/anchorWindow/);
    expect(() => makeParams({ anchorWindow: 2.5 })).toThrow(/anchorWindow/);
  });

  it('sorts shingle sets (by buckets, or radix when values crowd) as a plain sort does', () => {
    // spread values (shingle hashes), repeats, and values crowded into a few buckets (small
    // numbers: text made to collide), which the bucket pass hands to the radix sort
    const spread = fc.oneof(fc.nat({ max: 0xffffffff }), fc.constantFrom(0, 1, 0xffffffff, 0x80000000));
    const crowded = fc.oneof(fc.nat({ max: 5000 }), fc.integer({ min: 0xfffff000, max: 0xffffffff }));
    fc.assert(
      fc.property(fc.oneof(fc.array(spread, { maxLength: 700 }), fc.array(crowded, { minLength: 64, maxLength: 3000 }), fc.array(fc.oneof(spread, crowded), { maxLength: 1500 })), (xs) => {
        const hashes = Uint32Array.from(xs);
        const want = [...new Set(xs.map((x) => x >>> 0))].sort((a, b) => a - b);
        expect(Array.from(shingleSet({ hashes, first: new Int32Array(0), tokenStart: new Int32Array(0), tokenEnd: new Int32Array(0), tokens: xs.length }))).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('gives each input the id, text, date, credits and title of the whole article', async () => {
    // credits in a removed boilerplate line, a dateline's slug, a date line, a title line
    const extra = join(dir, 'extra');
    mkdirSync(extra, { recursive: true });
    writeFileSync(
      join(extra, 'copyright-credit.txt'),
      'Flood waters rise along the river\n\nMarch 3, 2024\n\nBAGHDAD (AFP) - Flood waters rose along the river on Sunday, officials said, and hundreds of families left their homes.\n\n© The Associated Press 2024\n',
    );
    writeFileSync(join(extra, 'copyright-only.txt'), 'Officials said the bridge would reopen next week after repairs to its deck were finished.\n\nCopyright the Canadian Press 2023\n');
    let n = 0;
    let fromRemoved = 0;
    for await (const item of readInputs([...inputs, extra], { deferHtml: true })) {
      if (!item.ok) continue;
      let whole;
      try {
        whole = buildArticle(item.draft);
      } catch {
        expect(() => reprintInput(item.draft)).toThrow();
        continue;
      }
      const lean = reprintInput(item.draft);
      expect({ id: lean.id, text: lean.text, url: lean.url, externalId: lean.externalId }).toEqual({ id: whole.id, text: whole.text, url: whole.url, externalId: whole.externalId });
      const doc = dedupDoc(whole);
      // the lean article's fields, read one by one
      const article = leanArticle(lean);
      expect({ title: article.title, published: article.meta.published?.value ?? null, credits: article.meta.credits.map((c) => c.value) }).toEqual({
        title: whole.title,
        published: doc.published,
        credits: doc.credits,
      });
      expect({ title: article.meta.title, published: article.meta.published, credits: article.meta.credits }).toEqual({
        title: whole.meta.title,
        published: whole.meta.published,
        credits: whole.meta.credits,
      });
      if (whole.meta.credits.some((c) => c.evidence.detail.startsWith('boilerplate line'))) fromRemoved++;
      n++;
    }
    expect(n).toBeGreaterThan(30);
    expect(fromRemoved).toBe(2);
  });

  it('reports the pairs the detector finds over whole articles, with any number of workers', async () => {
    // the inputs, and seeded copies of the ECB+ slice (exact, edited, reordered, cut, embedded)
    const rows = readFileSync(join(here, 'fixtures/ecbplus-topic14.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; text: string });
    const rng = mulberry32(5);
    const kinds = ['exact', 'boilerplate', 'edited', 'reordered', 'truncated', 'embedded'] as const;
    const copies = rows
      .slice(0, 12)
      .map((r, i) => ({ id: `copy${i}`, text: makeVariant(r.text, kinds[i % kinds.length]!, rng, { editRate: 0.05, host: rows[(i + 7) % rows.length]!.text }), published: `2013-07-2${i % 3}` }));
    const copiesFile = join(dir, 'copies.jsonl');
    writeFileSync(copiesFile, `${copies.map((c) => JSON.stringify(c)).join('\n')}\n`);
    const all = [...inputs, copiesFile];
    const d = new Deduplicator();
    const expected: string[] = [];
    const seen = new Set<string>();
    let order = 0;
    for await (const item of readInputs(all, { deferHtml: true })) {
      if (!item.ok) continue;
      let a;
      try {
        a = buildArticle(item.draft);
      } catch {
        continue;
      }
      if (seen.has(a.id)) continue;
      seen.add(a.id);
      for (const l of d.add({ ...dedupDoc(a), order: order++ })) expected.push(JSON.stringify(l));
    }
    expect(expected.length).toBeGreaterThan(12);
    for (const workers of ['0', '1', '2']) {
      const r = await runCli(['dupes', ...all, '--json', '--workers', workers]);
      // each line also names its two articles by both ids (README, "Ids in output")
      const lines = r.out
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { a: string; b: string; articles: { articleId: string; inputId: string }[] });
      for (const l of lines) expect(l.articles.map((x) => x.articleId)).toEqual([l.a, l.b]);
      expect(lines.map(({ articles: _, ...link }) => JSON.stringify(link))).toEqual(expected);
    }
  }, 60_000);
});
