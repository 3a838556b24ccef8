import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bestLabel, cleanHeadline, isFurniture, leadLabel } from '../src/domain/headline.js';
import { articleFrom } from './helpers/articles.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'px-labels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('headlines and page furniture', () => {
  it('tells page furniture from headlines', () => {
    for (const f of ['THE WHITE HOUSE', 'Friday, June 7, 2013', 'Posted: Jun 07, 2013 4:15 PM CDT', 'en', 'Advertisement', 'Office of the Press Secretary']) expect(isFurniture(f), f).toBe(true);
    for (const h of ['Man killed, 3 wounded at NYE party in Hawthorne', 'Actress Esther Williams Dies at 91', 'POLICE: TWO MEN SHOT OUTSIDE BAR ON PROSPECT AVENUE'])
      expect(isFurniture(h), h).toBe(false);
    // an article whose first line is a date line takes the next one as its title
    expect(articleFrom("Friday, June 7, 2013\nHollywood's mermaid Esther Williams dies\nChampion swimmer turned box-office draw. She was 91.").title).toBe("Hollywood's mermaid Esther Williams dies");
    expect(articleFrom('THE WHITE HOUSE\nPresident names a new surgeon general\nThe president announced his nominee on Monday.').title).toBe('President names a new surgeon general');
  });

  it('cuts a site name glued to a headline, and a long lead at a word', () => {
    expect(cleanHeadline('Victim in Creekwood shooting dies; shooting being investigated - WECT TV6-WECT.com:News, weather & sports Wilmington, NC')).toBe(
      'Victim in Creekwood shooting dies; shooting being investigated',
    );
    expect(cleanHeadline('Two shot near 35th and Prospect | KSHB 41', 'KSHB 41')).toBe('Two shot near 35th and Prospect');
    expect(cleanHeadline('Police: Man shot - suspect sought')).toBe('Police: Man shot - suspect sought');
    expect(cleanHeadline("Man indicted in fatal gang shooting at Bunny's truck stop - KLTV.com - Tyler, Longview, Jacksonville")).toBe("Man indicted in fatal gang shooting at Bunny's truck stop");
    expect(cleanHeadline('Five people shot in apartment complex - WMC Action News 5 - Memphis, Tennessee')).toBe('Five people shot in apartment complex');
    expect(cleanHeadline('Obama - Romney debate: what we learned')).toBe('Obama - Romney debate: what we learned');
    // a long lead: its first clause, unless that is an opening adverbial clause
    expect(
      leadLabel('Gaza truce talks were underway in Paris Friday, in what appears to be the most serious push for weeks to halt the fighting in the battered Palestinian territory and free hostages.'),
    ).toBe('Gaza truce talks were underway in Paris Friday');
    const lead = leadLabel(
      'After more than three years and a tangled trail of frustrating legal delays, the man who killed four people in a brazen courthouse escape was sentenced on Saturday to life in prison without parole.',
    );
    expect(lead.endsWith('…')).toBe(true);
    expect(lead.length).toBeLessThanOrEqual(140);
    expect(/\s\S+…$/.test(lead) && !/\w…$/.test(lead.replace(/\S+…$/, ''))).toBe(true);
    expect('After more than three years and a tangled trail of frustrating legal delays, the man who killed four people in a brazen courthouse escape was'.startsWith(lead.slice(0, -1))).toBe(true);
  });

  it("picks the headline most of the story's articles share words with, not a blog name or furniture", () => {
    const label = bestLabel([
      { title: 'Shot in the USA: Gun Violence After Newtown', lead: 'HAWTHORNE - The name of a 20-year-old man killed at a party was released today.' },
      { title: 'THE WHITE HOUSE', lead: 'A man was gunned down and three others were wounded at a New Year party in Hawthorne.' },
      { title: "Man killed, 3 wounded at New Year's Eve party in Hawthorne", lead: 'A man was killed and three others were wounded.' },
      { title: "One killed, three injured in Hawthorne New Year's Eve party shooting", lead: 'One man died and three were hurt in Hawthorne.' },
    ]);
    expect(label).toBe("Man killed, 3 wounded at New Year's Eve party in Hawthorne");
    // nothing but furniture and no text to speak of: the user's id
    expect(bestLabel([{ title: 'Friday, June 7, 2013', lead: '12:40', fallback: 'kc-shooting-17' }])).toBe('kc-shooting-17');
  });
});

describe('story labels in the store', () => {
  const text = (extra: string) =>
    `KANSAS CITY, Mo. - Two men were shot and one of them died early Sunday outside a bar on Prospect Avenue near 35th Street, Kansas City police said. ${extra} Police asked anyone with information to call the TIPS hotline.`;
  it('follow the story as it grows, and untitled articles are called by their input id', async () => {
    const db = join(dir, 'labels.db');
    const first = join(dir, 'first.jsonl');
    writeFileSync(first, `${JSON.stringify({ id: 'kc-1', title: 'LOCAL NEWS', text: text('The shooting happened around 1:30 a.m.') })}\n`);
    expect((await runCli(['ingest', first, '--db', db])).code).toBe(0);
    const label = async () => (JSON.parse((await runCli(['stories', '--db', db, '--json'])).out.trim().split('\n')[0]!) as { label: string }).label;
    // furniture is not a label: the lead sentence stands in
    expect(await label()).toMatch(/^KANSAS CITY, Mo\. - Two men were shot/);
    const more = join(dir, 'more.jsonl');
    writeFileSync(
      more,
      [
        { id: 'kc-2', title: 'Man killed, another wounded in shooting outside Prospect Avenue bar', text: text('Officers found both men in the parking lot.') },
        { id: 'kc-3', text: text('The victim was 27 years old.') },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    expect((await runCli(['ingest', more, '--db', db])).code).toBe(0);
    expect(await label()).toBe('Man killed, another wounded in shooting outside Prospect Avenue bar');
    const list = await runCli(['articles', '--db', db]);
    expect(list.out).toContain('kc-3');
    expect(list.out).not.toContain('more.jsonl:2');
  });
});
