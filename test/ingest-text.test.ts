import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildArticle } from '../src/ingest/build.js';
import { decodeBytes } from '../src/ingest/decode.js';
import { emptyDraft } from '../src/ingest/draft.js';
import { readJsonl } from '../src/ingest/jsonl.js';
import { extractTextMeta } from '../src/ingest/metadata.js';
import { sniffKind } from '../src/ingest/sniff.js';
import { readText } from '../src/ingest/text.js';
import { ECBPLUS, SEED_A, SEED_B } from './helpers/paths.js';

const at = '2026-11-25T00:00:00.000Z';
const fromFile = (path: string) => buildArticle(readText(readFileSync(path, 'utf8'), { source: path, fetchedAt: at }));

describe('plain text with a metadata header (seed 000)', () => {
  const a = fromFile(SEED_A);
  it('reads date, syndicator and outlet from the header line', () => {
    expect(a.meta.published).toEqual({ value: '2024-02-23', evidence: { source: 'header', detail: 'date 2024-02-23 (MENAFN- Gulf Times)' } });
    expect(a.meta.syndicator?.value).toBe('MENAFN');
    expect(a.meta.outlet?.value).toBe('Gulf Times');
  });
  it('removes the header from the text', () => {
    expect(a.text.startsWith('Gaza truce talks were underway in Paris Friday')).toBe(true);
    expect(a.text).not.toContain('MENAFN');
    expect(a.text.slice(a.sentences[0]!.start, a.sentences[0]!.end)).toMatch(/^Gaza truce talks.*hostages released\.$/);
  });
  it('is English, has 15 sentences and no wire credit', () => {
    expect(a.meta.language.value).toBe('en');
    expect(a.sentences).toHaveLength(15);
    expect(a.meta.credits).toEqual([]);
  });
});

describe('wire credits from the text (seed 004)', () => {
  const b = fromFile(SEED_B);
  it('credits Reuters, with the snippet as evidence', () => {
    expect(b.meta.credits.map((c) => c.value)).toEqual(['Reuters']);
    expect(b.meta.credits[0]!.evidence).toMatchObject({ source: 'text', detail: 'Reuters reports' });
    const off = b.meta.credits[0]!.evidence.offset!;
    expect(b.text.slice(off, off + 15)).toBe('Reuters reports');
  });
  it('has no date and no header', () => {
    expect(b.meta.published).toBeNull();
    expect(b.meta.outlet).toBeNull();
  });
});

describe('extractTextMeta', () => {
  it('reads a date line in the forms news pages print, and asks no parser of a line with no month and no d/m pair', () => {
    const forms: [string, string | null][] = [
      ['September 17, 2014', '2014-09-17'],
      ['Sept. 17, 2014', '2014-09-17'],
      ['17 September 2014', '2014-09-17'],
      ['9/17/2014', '2014-09-17'],
      ['09/17/14', '2014-09-17'],
      ['2014-09-17', '2014-09-17'],
      ['17.09.2014', '2014-09-17'],
      ['Published on 3 March 2013', '2013-03-03'],
      ['MAY 5, 2016', '2016-05-05'],
      ['Dec 1 2015', '2015-12-01'],
      ['the 17th of September 2014', '2014-09-17'],
      ['2014/09/17', '2014-09-17'],
      ['2014 09 17', '2014-09-17'],
      ['Published 2013 6 6', '2013-06-06'],
      // a year without a day, or a number that only looks like one: no date
      ['Sunday 2014', null],
      ['Criminal Court. 9, 2014, in location.', null],
    ];
    for (const [line, iso] of forms) expect(extractTextMeta(`${line}\n\nThe council met on Tuesday and voted on the budget.`).published?.value ?? null, line).toBe(iso);
  });

  it('finds datelines with wire slugs', () => {
    const m = extractTextMeta('PARIS (Reuters) - Gaza truce talks were underway in Paris on Friday.');
    expect(m.dateline?.value).toBe('PARIS');
    expect(m.credits.map((c) => c.value)).toEqual(['Reuters']);
    expect(extractTextMeta('DOHA: Qatar said talks would resume.').dateline?.value).toBe('DOHA');
    expect(extractTextMeta('WASHINGTON, Feb 23 (AP) - The Senate voted.').credits.map((c) => c.value)).toEqual(['AP']);
    expect(extractTextMeta('UNITED NATIONS (AFP) -- The council met.').dateline?.value).toBe('UNITED NATIONS');
  });
  it('finds credit phrases and credit lines', () => {
    expect(extractTextMeta('The ministry said so, according to Reuters.').credits.map((c) => c.value)).toEqual(['Reuters']);
    expect(extractTextMeta('Talks resumed on Friday.\nAgencies').credits.map((c) => c.value)).toEqual(['Agencies']);
    expect(extractTextMeta('Talks resumed.\n(With inputs from agencies)').credits.map((c) => c.value)).toEqual(['Agencies']);
    expect(extractTextMeta('A spokesman told the Associated Press on Monday.').credits.map((c) => c.value)).toEqual(['AP']);
    // a capitalised word that is not an agency is not a credit
    expect(extractTextMeta('Apple said the AP course was hard.').credits).toEqual([]);
  });
  it('finds bylines, syndication notes and date lines', () => {
    expect(extractTextMeta('Title here\nBy Jane Smith, Reuters\nBody text.').byline?.value).toBe('Jane Smith');
    const s = extractTextMeta('(MENAFN- Gulf Times) Body text, more.');
    expect([s.syndicator?.value, s.outlet?.value]).toEqual(['MENAFN', 'Gulf Times']);
    // in the middle of a text it is a mention, not this text's outlet (issue 24)
    const mention = extractTextMeta('Body text. (MENAFN- Gulf Times) more');
    expect([mention.syndicator, mention.outlet]).toEqual([null, null]);
    expect(extractTextMeta('Lindsay Lohan heads to rehab\nPublished May 03, 2013\nIt seems...').published?.value).toBe('2013-05-03');
    expect(extractTextMeta('Seacom restored\nNovember 4, 2011\nText.').published?.value).toBe('2011-11-04');
    // a date inside a sentence is not a date line
    expect(extractTextMeta('On May 3, 2013 the actress went to court and the judge ruled against her.').published).toBeNull();
  });
});

describe('JSON Lines', () => {
  it('reads valid lines, ignores unknown fields, and reports bad ones with their line number', () => {
    const content = [
      JSON.stringify({ id: 'x1', url: 'https://example.com/1', title: 'T', text: 'An earthquake shook Iran on Sunday.', published: '2005-11-27', outlet: 'USA Today', story: 'GOLD', topic: 20 }),
      '{not json',
      JSON.stringify({ id: 'x2' }),
      JSON.stringify([1, 2]),
      JSON.stringify({ text: 42 }),
      '',
      JSON.stringify({ html: '<p>Second <b>article</b> in HTML.</p><script>bad()</script>' }),
      JSON.stringify({ text: 'x', published: 'not a date' }),
    ].join('\n');
    const items = readJsonl(content, { source: 'in.jsonl', fetchedAt: at });
    const errors = items.flatMap((i) => ('error' in i ? [[i.line, i.error.message]] : []));
    expect(errors).toEqual([
      [2, expect.stringMatching(/^in\.jsonl:2: expected a JSON object, found invalid JSON/)],
      [3, 'in.jsonl:3: expected a non-empty "text" or "html" field'],
      [4, 'in.jsonl:4: expected a JSON object, found an array'],
      [5, 'in.jsonl:5: field "text" must be a string, found number'],
      [8, 'in.jsonl:8: field "published" must be a date (ISO 8601 or RFC 2822), found "not a date"'],
    ]);
    const drafts = items.flatMap((i) => ('draft' in i ? [i.draft] : []));
    expect(drafts).toHaveLength(2);
    expect(drafts[0]).toMatchObject({ externalId: 'x1', url: 'https://example.com/1', source: 'in.jsonl:1' });
    expect(drafts[0]!.published?.value).toBe('2005-11-27');
    expect(drafts[0]!.outlet?.value).toBe('USA Today');
    expect(JSON.stringify(drafts[0])).not.toContain('GOLD');
    expect(drafts[1]!.text.trim()).toBe('Second article in HTML.');
  });
  it('reads the ECB+ development file completely', () => {
    const items = readJsonl(readFileSync(ECBPLUS, 'utf8'), { source: 'ecb', fetchedAt: at });
    expect(items.filter((i) => 'draft' in i)).toHaveLength(772);
    const a = buildArticle((items[0] as { draft: Parameters<typeof buildArticle>[0] }).draft);
    expect(a.externalId).toBe('1_1ecb');
  });
});

describe('decodeBytes', () => {
  const text = 'Caf\u00e9 \u201cquoted\u201d and na\u00efve';
  it('reads UTF-8, with or without BOM', () => {
    expect(decodeBytes(Buffer.from(text, 'utf8'), 'f').text).toBe(text);
    expect(decodeBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'f').text).toBe(text);
  });
  it('reads UTF-16 LE and BE with BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(decodeBytes(le, 'f')).toEqual({ text, encoding: 'utf-16le' });
    const be = Buffer.from(le);
    be.swap16();
    expect(decodeBytes(be, 'f').text).toBe(text);
  });
  it('converts Windows-1252 and Latin-1', () => {
    // "Caf\xe9 \x93quoted\x94 and na\xefve" in Windows-1252, with enough text for detection
    const bytes = Buffer.from('Le caf\xe9 de la gare \x93Chez Ren\xe9\x94 est ferm\xe9 depuis l\x92\xe9t\xe9 dernier, a d\xe9clar\xe9 le maire.', 'latin1');
    const d = decodeBytes(bytes, 'f');
    expect(d.encoding).toBe('windows-1252');
    expect(d.text).toBe('Le caf\u00e9 de la gare \u201cChez Ren\u00e9\u201d est ferm\u00e9 depuis l\u2019\u00e9t\u00e9 dernier, a d\u00e9clar\u00e9 le maire.');
  });
  it('refuses binary data, naming the byte and offset', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]);
    expect(() => decodeBytes(png, 'img.png')).toThrow('ingest: expected text in img.png, found binary data (byte 0x00 at offset 8)');
  });
  it('refuses empty input', () => {
    expect(() => decodeBytes(new Uint8Array(0), 'empty.txt')).toThrow(/empty.txt is empty/);
  });
});

describe('sniffKind', () => {
  it('decides by content first', () => {
    expect(sniffKind('<?xml version="1.0"?><rss version="2.0">', 'a.txt')).toBe('feed');
    expect(sniffKind('<feed xmlns="http://www.w3.org/2005/Atom">')).toBe('feed');
    expect(sniffKind('<!DOCTYPE html><html>', 'x.xml')).toBe('html');
    expect(sniffKind('{"text": "a"}\n{"text": "b"}', 'x.txt')).toBe('jsonl');
    expect(sniffKind('Plain words.', 'x.html')).toBe('html');
    expect(sniffKind('Plain words.', 'x.txt')).toBe('text');
  });
});

describe('buildArticle', () => {
  it('derives the id from the canonical URL, else from the content in its file', () => {
    const d = emptyDraft('s', 'Some article text about the talks.', at);
    const byUrl1 = buildArticle({ ...d, url: 'https://www.example.com/story/?utm_source=tw#top' });
    const byUrl2 = buildArticle({ ...d, url: 'https://example.com/story', text: 'Other text.' });
    expect(byUrl1.id).toBe(byUrl2.id);
    const byText1 = buildArticle(d);
    expect(buildArticle({ ...d, fetchedAt: '2030-01-01T00:00:00.000Z' }).id).toBe(byText1.id);
    // the same text from another file is another article (a reprint, which dupes reports)
    expect(buildArticle({ ...d, source: 'elsewhere' }).id).not.toBe(byText1.id);
    expect(byText1.id).not.toBe(byUrl1.id);
    expect(byText1.id).toMatch(/^a[0-9a-f]{16}$/);
  });
  it('refuses text that is empty after extraction', () => {
    expect(() => buildArticle(emptyDraft('blank.txt', ' \n\u200b\n ', at))).toThrow(/blank.txt has no article text/);
  });
});

describe('decodeBytes, Central European', () => {
  it('reads Polish Windows-1250 as 1250, not as Western symbols', () => {
    const bytes = Buffer.from('Za\xbf\xf3\xb3\xe6 g\xea\x9cl\xb9 ja\x9f\xf1. Pa\xf1stwo polskie og\xb3osi\xb3o now\xb9 ustaw\xea o \x9crodowisku.', 'latin1');
    const d = decodeBytes(bytes, 'pl.txt');
    expect(d.encoding).toBe('windows-1250');
    expect(d.text).toBe('Zażółć gęślą jaźń. Państwo polskie ogłosiło nową ustawę o środowisku.');
  });
});
