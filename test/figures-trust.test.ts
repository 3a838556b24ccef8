import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractFigures } from '../src/claims/figures.js';
import { extractClaims } from '../src/claims/extract.js';
import { compareArticles } from '../src/compare/compare.js';
import type { Article } from '../src/domain/article.js';
import { buildArticle } from '../src/ingest/build.js';
import { emptyDraft } from '../src/ingest/draft.js';
import { draftFromRecord } from '../src/ingest/jsonl.js';
import { isBoilerplateLine, stripBoilerplate } from '../src/text/boilerplate.js';
import { runCli } from './helpers/cli.js';
import { REPO } from './helpers/paths.js';

const FIXTURE = resolve(REPO, 'test/fixtures/analyst/kc-shooting.jsonl');
const dir = mkdtempSync(join(tmpdir(), 'px-figures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const figs = (s: string) => extractFigures(s).map((f) => `${f.qualifier ? `${f.qualifier} ` : ''}${f.value} ${f.measure}`);
const records = readFileSync(FIXTURE, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Record<string, unknown>);
const fixture = (id: string): Article =>
  buildArticle(
    draftFromRecord(
      records.find((r) => r['id'] === id)!,
      `kc-shooting.jsonl:${id}`,
      '2026-12-05T16:17:00.000Z',
    ),
  );

describe('a figure counts, amounts, measures or dates something named', () => {
  it('is not a word that follows a number without being counted, an address, a name, an id or a slug', () => {
    expect(figs('It only takes one bad apple, and police said there were 2 behind the wheel.')).toEqual([]);
    expect(figs('Three different witnesses saw one clinging to the fence.')).toEqual(['3 witnesses']);
    // a place before the noun is not what is counted
    expect(figs('Police said 2 Minneapolis men were charged with nine counts of assault.')).toEqual(['2 men', '9 counts']);
    expect(figs('Officers were called to the 3500 block of Prospect Avenue and to 1600 E. 35th Street.')).toEqual([]);
    expect(figs('Fox 4 News and KCTV 5 reported it on Channel 9, near Highway 50.')).toEqual([]);
    expect(figs('See http://www.kctv5.com/story/22412001/one-dead-others-hurt (fhid 165,548,588) for 1,711 Kansas results.')).toEqual([]);
    expect(figs('A neighbour made a 911 call, and no one was injured.')).toEqual([]);
  });

  it('keeps what is counted, the event, and the qualifier', () => {
    expect(figs('At least 22 people were killed and more than 40 wounded, officials said.')).toEqual(['at least 22 killed', 'more than 40 wounded']);
    expect(figs('As many as five suspects fled, and approximately $2 million was taken.')).toEqual(['as many as 5 suspects', 'approximately 2000000 amount']);
    // "injured several others" has no number: the one person is killed, not wounded
    expect(figs('A gunman killed one person and injured several others outside a bar.')).toEqual(['1 killed']);
    expect(figs('The victim, Darnell Hayes, 27, died; a 16-year-old boy and a woman aged 41 were hurt.')).toEqual(['27 age', '16 age', '41 age']);
    expect(figs('He was sentenced to 25 years in prison after a trial that lasted 12 days.')).toEqual(['25 sentence', '12 duration']);
  });

  it('dates a day written without its year by the article, never as ????', () => {
    const dated = extractClaims(['The shooting happened on Oct. 7 outside the club.'], { published: '2013-10-09' }).figures;
    expect(dated.map((f) => f.value)).toEqual(['2013-10-07']);
    // a day after the publication date by months is last year's
    expect(extractClaims(['The club reopened on Dec. 20.'], { published: '2014-01-05' }).figures.map((f) => f.value)).toEqual(['2013-12-20']);
    expect(extractClaims(['The club reopened on Dec. 20.']).figures.map((f) => f.value)).toEqual(['--12-20']);
  });
});

describe('boilerplate is never a fact, a figure or a reprint', () => {
  it('finds copyright lines, hotlines, newsletter prompts and verification notices, and leaves news alone', () => {
    for (const line of [
      'Copyright 2013 KCTV (Meredith Corp.) All rights reserved.',
      'Anyone with information is asked to call the TIPS Hotline at 816-474-TIPS.',
      'Sign up for our Breaking News newsletter and get alerts on your phone.',
      'We have sent you a verification email. Please check your email and click on the link to activate your profile.',
      'Please enable Javascript to watch this video',
      'Share this: Facebook',
    ])
      expect(isBoilerplateLine(line), line).toBe(true);
    for (const line of [
      'At this stage, nobody is thought to have been injured and anybody with information is asked to call police on 0845 125 2222.',
      'The station said the copyright dispute with the network was settled last year for $2 million.',
      'Police said four people were wounded and taken to area hospitals.',
    ])
      expect(isBoilerplateLine(line), line).toBe(false);
    expect(stripBoilerplate('Police said two men were shot.\n\nCopyright 2013 KCTV (Meredith Corp.) All rights reserved.').text).toBe('Police said two men were shot.');
  });

  it('the comparison of two reports shares no copyright line or hotline, and counts no figure from them', () => {
    const c = compareArticles([fixture('kc-kctv-1'), fixture('kc-kshb-1')]);
    const all = c.sentences.map((s) => s.text).join('\n');
    expect(all).not.toMatch(/rights reserved|TIPS|newsletter/i);
    expect(c.brief.map((b) => b.text).join('\n')).not.toMatch(/rights reserved|TIPS/i);
    expect(c.figures.map((f) => String(f.value))).not.toContain('816');
  });

  it('a page that is only a verification notice is refused, so it is no reprint of another', async () => {
    const db = join(dir, 'kc.db');
    const r = await runCli(['ingest', FIXTURE, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/kc-shooting\.jsonl:4 has no article text \(only page boilerplate, such as "We have sent you a verification email/);
    const dupes = await runCli(['dupes', '--db', db, '--json']);
    expect(dupes.out).not.toMatch(/kc-verify/);
    const list = (await runCli(['articles', '--db', db, '--json'])).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { externalId: string; outlet: string });
    expect(list.map((a) => a.externalId).sort()).toEqual(['kc-kctv-1', 'kc-kctv-2', 'kc-kshb-1']);
    expect(new Set(list.map((a) => a.outlet))).toEqual(new Set(['kctv5.com', 'kshb.com']));
  });
});

describe('a conflict is between different sources on one measure at comparable times', () => {
  const report = (outlet: string, published: string, text: string): Article =>
    buildArticle({
      ...emptyDraft(`${outlet}.txt`, text, '2026-12-05T16:17:00.000Z'),
      outlet: { value: outlet, evidence: { source: 'meta', detail: 'og:site_name' } },
      published: { value: published, evidence: { source: 'meta', detail: 'article:published_time' } },
    });
  const base = 'A gunman opened fire outside a bar on Prospect Avenue early Sunday, police said.';
  const measures = (articles: Article[]) => compareArticles(articles).conflicts.map((c) => `${c.measure}: ${c.values.map((v) => v.value).join(' vs ')}`);

  it('two stations the same morning: three wounded against four is a conflict', () => {
    expect(
      measures([
        report('KCTV 5', '2013-05-26T06:10:00Z', `${base} Police said three people were wounded in the shooting.`),
        report('KSHB 41', '2013-05-26T09:45:00Z', `${base} Police said four people were wounded in the shooting.`),
      ]),
    ).toEqual(['wounded: 3 vs 4']);
  });

  it('not one source against itself, nor a count five days later, nor "several others" against a number', () => {
    expect(
      measures([
        report('KCTV 5', '2013-05-26T06:10:00Z', `${base} Police said three people were wounded in the shooting.`),
        report('KCTV 5', '2013-05-26T12:00:00Z', `${base} Police said four people were wounded in the shooting.`),
      ]),
    ).toEqual([]);
    expect(
      measures([
        report('KCTV 5', '2013-05-26T06:10:00Z', `${base} Police said three people were wounded in the shooting.`),
        report('KSHB 41', '2013-05-31T15:00:00Z', `${base} Police said four people were wounded in the shooting.`),
      ]),
    ).toEqual([]);
    // the real articles: the first station's "killed one person and injured several others"
    const c = compareArticles([fixture('kc-kctv-1'), fixture('kc-kshb-1'), fixture('kc-kctv-2')]);
    expect(c.conflicts.filter((x) => x.measure === 'wounded')).toEqual([]);
    expect(c.conflicts.flatMap((x) => x.values.map((v) => v.article)).every((id, _, all) => all.filter((y) => y === id).length <= all.length)).toBe(true);
    for (const x of c.conflicts) expect(new Set(x.values.map((v) => v.article)).size).toBeGreaterThan(1);
  });
});
