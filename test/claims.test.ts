import { describe, expect, it } from 'vitest';
import { findAttribution, speakerKey } from '../src/claims/attribution.js';
import { compatible, findConflicts, type LocatedFigure } from '../src/claims/conflicts.js';
import { extractClaims } from '../src/claims/extract.js';
import { extractFigures, type Figure } from '../src/claims/figures.js';
import { extractQuotes } from '../src/claims/quotes.js';
import { seedPair, sentence } from './compare-fixtures.js';

const texts = (a: ReturnType<typeof seedPair>[number]): string[] => a.sentences.map((_, i) => sentence(a, i));

describe('attribution', () => {
  it('finds trailing, leading and according-to speakers', () => {
    expect(findAttribution('At least 29,514 Palestinians have been killed since Oct 7, the Gaza health ministry said Friday.')?.speaker).toBe('the Gaza health ministry');
    expect(findAttribution('We will wait until they return from Paris, said the Hamas official.')?.speaker).toBe('the Hamas official');
    expect(findAttribution('The Gaza health ministry said earlier that 104 people had been killed.')?.speaker).toBe('the Gaza health ministry');
    expect(findAttribution('Prices rose 3 percent, according to the statistics office.')?.speaker).toBe('the statistics office');
    expect(findAttribution('"It is over," he said.')).toMatchObject({ speaker: 'he', pronoun: true });
    expect(findAttribution('The talks began in Paris on Friday.')).toBeNull();
    expect(speakerKey('The Hamas official')).toBe(speakerKey('the Hamas  official'));
  });
});

describe('quotes', () => {
  it('reads a quote with or without quote marks, with its speaker', () => {
    const [a, b] = seedPair();
    const qa = extractQuotes(sentence(a, 9));
    expect(qa).toEqual([{ text: 'We discussed our proposal with them (the Egyptians) and we are going to wait until they return from Paris', speaker: 'the Hamas official', marked: true }]);
    const qb = extractQuotes(sentence(b, 9));
    expect(qb).toEqual([{ text: 'We discussed our proposal with them (the Egyptians), and we will wait until they return from Paris', speaker: 'the Hamas official', marked: false }]);
    // scare quotes are not quotes; reported speech in the third person is not a quote
    expect(extractQuotes(sentence(b, 11))).toEqual([]);
    expect(extractQuotes(sentence(b, 13))).toEqual([]);
  });

  it('resolves "he said" to the speaker named just before, and reads a quote over several sentences', () => {
    const claims = extractClaims([
      'Police chief John Smith said the suspect fled on foot.',
      '"We are asking anyone who saw him to call us," he said.',
      '"This was a planned attack. We believe he acted alone and we will find him," the mayor said.',
    ]);
    expect(claims.quotes.map((q) => [q.index, q.speaker])).toEqual([
      [1, 'Police chief John Smith'],
      [2, 'the mayor'],
    ]);
    const split = extractClaims(['"This was a planned attack.', 'We believe he acted alone," the mayor said.']);
    expect(split.quotes).toEqual([{ text: 'This was a planned attack. We believe he acted alone', speaker: 'the mayor', marked: true, index: 0 }]);
  });
});

describe('figures', () => {
  it('reads the seed pair casualty figures with what they count and who gives them', () => {
    const [a, b] = seedPair();
    const figures = extractClaims(texts(a)).figures;
    const find = (value: number): (typeof figures)[number] | undefined => figures.find((f) => f.value === value);
    expect(find(104)).toMatchObject({ kind: 'count', measure: 'killed (past 24 hours)', attribution: 'the Gaza health ministry', index: 13 });
    expect(find(160)).toMatchObject({ kind: 'count', measure: 'wounded (past 24 hours)', attribution: 'the Gaza health ministry', index: 13 });
    expect(find(29514)).toMatchObject({ measure: 'killed (since Oct 7)', qualifier: 'at least', attribution: 'the Gaza health ministry', index: 14 });
    expect(find(22)).toMatchObject({ measure: 'killed', qualifier: 'at least', attribution: 'health ministry spokesman Ashraf Al-Qidra' });
    expect(find(1_200_000)).toMatchObject({ measure: 'followers' });
    const hostages = extractClaims(texts(b)).figures.find((f) => f.value === 100);
    expect(hostages).toMatchObject({ measure: 'hostages', qualifier: 'more than' });
  });

  it('reads money, percentages and written-out dates, and skips clock times and bare years', () => {
    const f = extractFigures('The company paid $2.5 million, up 12 percent, on March 3, 2024 at 10:30 am in 2023.');
    expect(f.map((x) => [x.kind, x.value, x.unit])).toEqual([
      ['money', 2_500_000, 'USD'],
      ['percent', 12, '%'],
      ['date', '2024-03-03', null],
    ]);
  });
});

describe('conflicts', () => {
  const fig = (value: number, qualifier: string | null = null): Figure => ({ value, unit: 'people', kind: 'count', measure: 'killed', qualifier, attribution: null, text: '' });
  const at = (figure: Figure, article: number, index = 0): LocatedFigure => ({ figure, article, index });

  it('treats hedged values as compatible with larger ones', () => {
    expect(compatible(fig(22, 'at least'), fig(25))).toBe(true);
    expect(compatible(fig(22), fig(25))).toBe(false);
    expect(compatible(fig(100, 'nearly'), fig(95))).toBe(true);
    expect(compatible(fig(100, 'about'), fig(104))).toBe(true);
  });

  it('flags the same measure with different values only between related sentences', () => {
    const figures = [at(fig(12), 0), at(fig(15), 1), at(fig(300), 2)];
    const related = (a: LocatedFigure, b: LocatedFigure): boolean => a.article !== 2 && b.article !== 2;
    const conflicts = findConflicts(figures, related);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.values.map((v) => v.figure.value)).toEqual([12, 15]);
    expect(findConflicts([at(fig(12, 'at least'), 0), at(fig(15), 1)], () => true)).toEqual([]);
  });
});
