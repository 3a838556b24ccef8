import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/dedup/hash.js';
import { boilerplateRanges, boilerplateRangesByRegex } from '../src/dedup/shingle.js';
import { isBoilerplateLine, isBoilerplateLineByRegex, stripBoilerplate } from '../src/text/boilerplate.js';
import { LineHints } from '../src/text/line-hints.js';

// The boilerplate checks look at a line's words (text/line-hints.ts) before running their
// regular expressions, a speed device that must never change an answer: here the fast checks
// are held to the expressions run on every line, over notices, news, every hint word in
// every case and place, random lines made of pieces of them, odd characters and edge lengths.

// pieces of what the expressions look for (in text/boilerplate.ts and dedup/shingle.ts), and of news
const PIECES = [
  'all rights reserved / All Rights Reserved. / copyright / Copyright 2013 / copyright by / copyright the / Copyright2014 / (c) / (C) 2015 / (c) the / © / © 2016 / ©2016',
  'this material may not be published / may not be broadcast / rewritten / redistributed',
  'verification email / verification e-mail / verification message / verification link / verification code / verification',
  'activate your profile / verify your account / update your e-mail / update your email / your / profile',
  'check your spam / check your junk / check your inbox / check your',
  "notifications are only sent / e-mail notification has been saved / notification / problem saving your notification / get email notifications / get e-mail notifications / you'll get an email / you'll get an e-mail / you will get",
  'thank you for registering / thank you for signing up / thank you for subscribing / thank you / sign in to update your profile',
  'you must enter the characters / please enable javascript / enable javascript to / javascript is disabled / javascript is required / javascript',
  'trouble viewing the video / trouble viewing this video / disabling any ad blocking / disabling any adblocking / adblocking / scroll down for video / video',
  'we use cookies / by continuing to use this site / by continuing to browse our site / accept cookies / accept all cookies / cookies',
  'you are the owner of this article / not in our deliverable area / re-enter zip code / zip code',
  'sign up for our / sign up to receive the / sign up for one of our / sign up for a / sign up for the / newsletters / newsletter / e-mails / alerts / updates / digital access / value',
  'subscribe to our / subscribe for the / sign up to the / daily news / newsletter sign-up / newsletter signup / newsletter sign up',
  'get digital access / get the latest from / our apps / alerts / iphone / android / enjoy the convenience of home delivery',
  'follow us / like us / join us / join the conversation / on twitter / at facebook / on the instagram / on our page / stay up to date, follow / stay up to date follow',
  'follow cnn.com / like ktla.com: / facebook / twitter',
  'advertisement / advertisements / close / print / email / e-mail / pinterest / google+ / google / linkedin / reddit / whatsapp / more / share',
  'share this / share this story / share this article / share this: / like this: / photo / photos / enlarge / watch / watch this story / watch the video / watch video',
  'related / related links / related stories / related articles / read more / loading... / 12 comments / 3 pending comments / comments / comment / just one more thing',
  'free apps | iphone / news | / sports | / weather / |',
  'anyone with information / anybody with any information / those with information / people / residents with information / witnesses / with / information',
  'if you have information / if you have any information / police are asking / police urge / authorities are appealing / officers encourage / detectives ask / investigators urging',
  "the county sheriff's office / the county sheriff's department / the city police department / the city police office / the police / asks / urging / appeal / encourages",
  'to report a tip / to leave tips / to report tip / call crime stoppers / contact the tips hotline / text the tipline / call the tip line',
  '816-474-TIPS / (816) 474-8477 / 555.123.4567 / 0845 125 2222 / 474-TIPS / crimestoppers / crime stoppers / tip line / tips hotline / hotline / tipline / tips',
  'read also / also read / related: / see also / click here / subscribe / sign up / share on / by John Smith / By Jane Doe | Reuters / by jane doe / with inputs from / source: / credit:',
  'updated / published / posted / last updated / (AFP - Paris) / (MENAFN- Gulf Times) / (Reuters -x) / (AP - y) / (AP- / (Reuters)',
  'police said / the man was / two people were shot / a neighbour / on Monday / at 3 p.m. / 1,200 / Mr. Hayes',
].flatMap((group) => group.split(' / '));
const SEPARATORS = [' ', ' ', ' ', '  ', '\t', '\u00a0', ', ', '. ', ': ', ' | ', '-', '', '\r', '\u2028', '\u3000', '\ufeff', '\u200b', '_', "'", '"', '(', ')', '\u00e9'];
// characters that change case, or look like letters, outside ASCII (not matched by /i without u)
const LOOKALIKES: Record<string, string[]> = { i: ['\u0130', '\u0131'], s: ['\u017f'], k: ['\u212a'], e: ['\u00e9', '\u00c9'], a: ['\u00e0'], c: ['\u00e7'], o: ['\u00f6'] };

function randomCase(s: string, r: () => number): string {
  const mode = Math.floor(r() * 6);
  if (mode === 0) return s;
  if (mode === 1) return s.toUpperCase();
  if (mode === 2) return s.charAt(0).toUpperCase() + s.slice(1);
  if (mode === 3) return [...s].map((ch) => (r() < 0.5 ? ch.toUpperCase() : ch.toLowerCase())).join('');
  if (mode === 4) {
    // one character swapped for a look-alike, which the expressions do not take for the letter
    const chars = [...s];
    const at = Math.floor(r() * chars.length);
    const alts = LOOKALIKES[chars[at]!.toLowerCase()];
    if (alts) chars[at] = alts[Math.floor(r() * alts.length)]!;
    return chars.join('');
  }
  // a piece cut short at either end
  const a = Math.floor(r() * 3);
  return s.slice(a, s.length - Math.floor(r() * 3));
}

function randomLine(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  let line = '';
  if (r() < 0.3) line += pick(['  ', '\t', ' ', '-- ', '* ', '"', '(', '\u00a0', '\u00a9 ', '(c) ', '\u00e9', '...', '|', '12 ']);
  const n = 1 + Math.floor(r() * 7);
  for (let i = 0; i < n; i++) {
    if (i > 0) line += pick(SEPARATORS);
    line += randomCase(pick(PIECES), r);
  }
  if (r() < 0.3) line += pick([' ', '  ', '.', '!', ':', ' |', '\u00a0', '\r', '\t', ' 2013', ')']);
  return line;
}

// strip as it was written first: every line through the expressions
function stripByRegex(text: string): { text: string; removed: string[] } {
  const removed: string[] = [];
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    if (isBoilerplateLineByRegex(line)) removed.push(line.trim());
    else kept.push(line);
  }
  if (removed.length === 0) return { text, removed };
  return {
    text: kept
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim(),
    removed,
  };
}

const FIXTURE_LINES = [
  'Copyright 2013 KCTV (Meredith Corp.) All rights reserved.',
  'Anyone with information is asked to call the TIPS Hotline at 816-474-TIPS.',
  'Sign up for our Breaking News newsletter and get alerts on your phone.',
  'We have sent you a verification email. Please check your email and click on the link to activate your profile.',
  'Please enable Javascript to watch this video',
  'Share this: Facebook',
  'At this stage, nobody is thought to have been injured and anybody with information is asked to call police on 0845 125 2222.',
  'The station said the copyright dispute with the network was settled last year for $2 million.',
  'Police said four people were wounded and taken to area hospitals.',
  'Join the conversation on the Channel Nine Eyewitness Facebook page.',
  'Copyright 2015 WKRN Channel Nine Eyewitness News Springfield Ohio. Follow Channel Nine Eyewitness on Twitter.',
  'Posted: Friday, March 6, 2015 9:14 PM EST',
  '(c) 2014 Cox Media Group. All rights reserved.',
  '\u00a9 2016 The Associated Press. This material may not be published, broadcast, rewritten or redistributed.',
  'Follow us on Twitter @wsbtv',
  'Stay up to date, follow WSB on Facebook',
  'Like WSBTV.com: Facebook',
  'News | Sports | Weather | Traffic',
  '12 comments',
  'Police are asking anyone with information to call Crime Stoppers at (404) 577-8477.',
  "The Fulton County Sheriff's Office urges anyone with information to call the tip line.",
  'If you have any information, call 911.',
  "The Dallas Sheriff's Office asks anyone who saw it to call 214-555-0101.",
  "The Dallas Sheriff's Department urges witnesses to call the hotline.",
  'The Dallas Police Office encourages witnesses to call Crime Stoppers.',
  'The Dallas police department asks people to call 214-555-0101.',
  'Text the tipline at 274637.',
  'By John Smith, Staff Writer',
  'Read more: police say',
  'Last updated 3:45 p.m.',
  '(MENAFN- Gulf Times) Doha police said',
];

describe('the boilerplate checks give what their expressions give, faster', () => {
  it('on notices, news and every piece, in every case, alone and inside a line', () => {
    const lines = [...FIXTURE_LINES];
    for (const p of PIECES)
      for (const v of [p, p.toUpperCase(), p.charAt(0).toUpperCase() + p.slice(1)]) {
        lines.push(v, ` ${v} `, `x${v}`, `${v}x`, `Police said ${v}`, `${v} and more`, `-- ${v}:`, `\u00a9 ${v}`, `(${v})`, `_${v}`, `1${v}`, `${v}_`);
      }
    let hits = 0;
    for (const line of lines) {
      const want = isBoilerplateLineByRegex(line);
      expect(isBoilerplateLine(line), JSON.stringify(line)).toBe(want);
      if (want) hits++;
    }
    expect(hits).toBeGreaterThan(300);
  });

  it('on random lines made of those pieces, odd separators and look-alike letters', () => {
    const r = mulberry32(20261206);
    let hits = 0;
    const n = 60_000;
    for (let i = 0; i < n; i++) {
      const line = randomLine(r);
      const want = isBoilerplateLineByRegex(line);
      if (isBoilerplateLine(line) !== want) expect(isBoilerplateLine(line), JSON.stringify(line)).toBe(want);
      if (want) hits++;
    }
    // the random lines are notices often enough to mean something
    expect(hits).toBeGreaterThan(n / 20);
    expect(hits).toBeLessThan(n / 1.5);
  });

  it('at the length limit, with white space around (trimmed, a line of 321 characters can be a notice)', () => {
    const notice = 'All rights reserved.';
    const pads = ['', ' ', '  ', '\t', '\u00a0', '\ufeff', '\u3000', '\r', '\u2028'];
    for (const total of [319, 320, 321, 322, 330, 400])
      for (const before of pads)
        for (const after of pads)
          for (const filler of ['x', ' ', '\u00e9', 'a b ']) {
            const inner = total - before.length - after.length;
            if (inner < notice.length) continue;
            const body = (notice + filler.repeat(inner)).slice(0, inner);
            for (const line of [before + body + after, before + body.split('').reverse().join('') + after, before + 'Copyright 2014' + body.slice(14) + after]) {
              expect(isBoilerplateLine(line), `${line.length} ${JSON.stringify(line.slice(0, 30))}`).toBe(isBoilerplateLineByRegex(line));
            }
          }
  });

  it('stripBoilerplate keeps and removes the same lines, blank lines and all', () => {
    const r = mulberry32(7);
    for (let t = 0; t < 2000; t++) {
      const lines: string[] = [];
      const n = Math.floor(r() * 12);
      for (let i = 0; i < n; i++) lines.push(r() < 0.2 ? '' : r() < 0.1 ? ' '.repeat(Math.floor(r() * 3)) : r() < 0.1 ? 'x'.repeat(300 + Math.floor(r() * 40)) : randomLine(r));
      const text = lines.join('\n');
      expect(stripBoilerplate(text), JSON.stringify(text)).toEqual(stripByRegex(text));
    }
    for (const text of ['', '\n', '\n\n\n', 'Share this\n', '\nShare this', 'a\n\nShare this\n\nb', 'Share this\n\nShare this', ' \n Share this \n '])
      expect(stripBoilerplate(text)).toEqual(stripByRegex(text));
  });

  it('boilerplateRanges finds the same ranges, line after line and inline, in texts of every length', () => {
    const r = mulberry32(11);
    const filler = 'Police said the man was taken to a hospital, where he died. ';
    for (let t = 0; t < 3000; t++) {
      const lines: string[] = [];
      const n = 1 + Math.floor(r() * 14);
      for (let i = 0; i < n; i++) {
        let line = randomLine(r);
        // lines of about 90 and 200 characters, and long paragraphs that push lines out of the last 600
        const grow = r();
        if (grow < 0.2) line = (line + ' ' + filler.repeat(4)).slice(0, 85 + Math.floor(r() * 10));
        else if (grow < 0.35) line = (line + ' ' + filler.repeat(5)).slice(0, 195 + Math.floor(r() * 10));
        else if (grow < 0.45) line = filler.repeat(4 + Math.floor(r() * 12));
        lines.push(line);
      }
      const text = lines.join('\n');
      const want = boilerplateRangesByRegex(text);
      expect(boilerplateRanges(text), JSON.stringify(text)).toEqual(want);
      // and again: the same text read a second time
      expect(boilerplateRanges(text)).toEqual(want);
    }
  });
});

describe('line hints', () => {
  const hints = new LineHints([
    { bits: 1, anywhere: ['sign up for '] },
    { bits: 2, first: ['follow', 'stay up'] },
    { bits: 4, firstStarts: ['copyright'], leading: ['(c)'] },
    { bits: 8, symbols: ['\u00a9'], firstDigit: true, afterFirst: [' |'] },
  ]);
  const scan = (s: string) => hints.scan(s, 0, s.length);

  it('finds a phrase at the start of a word only, in either case of ASCII letters only', () => {
    expect(scan('Please SIGN UP FOR our alerts')).toBe(1);
    expect(scan('resign up for it')).toBe(0);
    expect(scan('_sign up for it')).toBe(0);
    expect(scan('\u00e9sign up for it')).toBe(1);
    expect(scan('\u017fign up for it')).toBe(0);
    expect(scan('sign up fo')).toBe(0);
  });

  it('finds first words whole, their starts, and what stands before and after them', () => {
    expect(scan('-- Follow us')).toBe(2);
    expect(scan('Followers said')).toBe(0);
    expect(scan('They follow')).toBe(0);
    expect(scan('Stay up, he said')).toBe(2);
    expect(scan('Copyright2013')).toBe(4);
    expect(scan('"(C) 2013')).toBe(4);
    expect(scan('x (c) 2013')).toBe(0);
    expect(scan('12 comments')).toBe(8);
    expect(scan('News | Sports')).toBe(8);
    expect(scan('the end \u00a9')).toBe(8);
  });

  it('reads the lines of one text in order, or in any order', () => {
    const text = 'one \u00a9\ntwo\nthree \u00a9';
    expect([hints.scan(text, 0, 5), hints.scan(text, 6, 9), hints.scan(text, 10, 17)]).toEqual([8, 0, 8]);
    expect([hints.scan(text, 10, 17), hints.scan(text, 6, 9), hints.scan(text, 0, 5), hints.scan(text, 0, 5)]).toEqual([8, 0, 8, 8]);
  });

  it('refuses hints it cannot look for', () => {
    expect(() => new LineHints([{ bits: 1, anywhere: ['ab'] }])).toThrow();
    expect(() => new LineHints([{ bits: 1, anywhere: ['\u00e9t\u00e9'] }])).toThrow();
    expect(() => new LineHints([{ bits: 1, symbols: ['x)'] }])).toThrow();
  });
});
