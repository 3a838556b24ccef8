import { describe, expect, it } from 'vitest';
import { explainStory } from '../src/cluster/why.js';
import type { StoryId } from '../src/domain/ids.js';
import { buildArticle } from '../src/ingest/build.js';
import { emptyDraft } from '../src/ingest/draft.js';

/**
 * The why evidence shows people's ages apart from other figures: the ages a member and its
 * nearest member both give, and when both give a few and share none (the clusterer counts such
 * a match down as likely another event of the same kind).
 */
const at = '2026-12-06T00:00:00.000Z';
const article = (source: string, title: string, text: string) => {
  const d = emptyDraft(source, `${title}\n\n${text}`, at);
  return buildArticle({ ...d, published: { value: '2016-03-04', evidence: { source: 'jsonl', detail: 'test' } } });
};

describe('why: people ages', () => {
  it('lists the ages both give, not as bare figures, and says when they differ', () => {
    const a = article('a.txt', 'Man, 23, shot on Elm Street', 'A 23-year-old man was shot on Elm Street in Dayton on Friday night, police said. He was taken to Miami Valley Hospital with 2 wounds.');
    const b = article(
      'b.txt',
      'Dayton shooting on Elm Street',
      'Police in Dayton said a 23-year-old man was wounded on Elm Street late Friday. The man was taken to Miami Valley Hospital with 2 gunshot wounds.',
    );
    const c = article(
      'c.txt',
      'Woman, 41, shot on Elm Street',
      'A 41-year-old woman was shot on Elm Street in Dayton on Friday night, police said. She was taken to Miami Valley Hospital with 2 wounds.',
    );
    const why = explainStory('s0123456789abcdef' as StoryId, [a, b, c], []);
    const [wa, wb, wc] = why.members;
    expect(wa!.nearest!.article === b.id || wb!.nearest!.article === a.id).toBe(true);
    const ab = wa!.nearest!.article === b.id ? wa! : wb!;
    expect(ab.ages).toEqual([23]);
    expect(ab.agesApart).toBe(false);
    // the clusterer's age terms are not shown among the figures
    for (const m of why.members) expect(m.numbers.some((n) => /y$/.test(n))).toBe(false);
    // the man's reports share an age with the rest of the story: not apart
    expect(wa!.agesApart || wb!.agesApart).toBe(false);
    // the woman's report: the rest of the story gives other ages
    expect(wc!.ages).toEqual([]);
    expect(wc!.agesApart).toBe(true);
  });
});
