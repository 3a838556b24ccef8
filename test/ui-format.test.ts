import { describe, expect, it } from 'vitest';
import { fmtDate, fmtSpan, parseWhen } from '../src/ui/app/format.js';
import { ticks } from '../src/ui/app/timeline.js';
import { defaultColumns, rolesOf } from '../src/ui/app/story-sources.js';

// The UI's pure parts, in Node (the browser tests cover them rendered). Node here runs in the
// machine's zone, so the assertions hold in any zone.
describe('UI dates', () => {
  it('keeps a date-only value as that calendar day, says undated for none, and names times in the local zone', () => {
    expect(fmtDate('2013-05-02')).toMatch(/May 2, 2013|2 May 2013/);
    expect(fmtDate(null)).toBe('undated');
    expect(fmtDate(undefined)).toBe('undated');
    const d = new Date('2024-02-23T10:05:00Z');
    expect(fmtDate('2024-02-23T10:05:00Z')).toBe(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(d));
    expect(fmtDate('not a date')).toBe('not a date');
    expect(parseWhen('2013-05-02')!.getDate()).toBe(2);
    expect(fmtSpan('2013-05-02', '2013-05-02')).toBe(fmtDate('2013-05-02'));
    expect(fmtSpan(null, null)).toBe('undated');
  });
});

describe('timeline ticks', () => {
  it('fall on local hours that divide the day for short spans, and on first days of months for long ones', () => {
    const min = new Date(2005, 10, 27, 14, 30).getTime();
    const max = new Date(2005, 10, 29, 0, 0).getTime();
    const t = ticks(min, max);
    expect(t.at.length).toBeGreaterThanOrEqual(2);
    expect(t.at.length).toBeLessThanOrEqual(8);
    for (const x of t.at) {
      expect(x).toBeGreaterThanOrEqual(min);
      expect(x).toBeLessThanOrEqual(max);
      expect(new Date(x).getHours() % Math.round(t.step / 3_600_000)).toBe(0);
      expect(new Date(x).getMinutes()).toBe(0);
    }
    const year = ticks(new Date(2020, 0, 15).getTime(), new Date(2021, 2, 1).getTime());
    for (const x of year.at) expect(new Date(x).getDate()).toBe(1);
  });
});

describe('source roles and default columns', () => {
  const links = [
    { a: 'a1', b: 'a2', class: 'exact', original: 'a1' },
    { a: 'a3', b: 'a1', class: 'partial-reuse', original: 'a1' },
    { a: 'a4', b: 'a5', class: 'near-duplicate', original: null },
  ];
  it('names copies and rewrites of a known original, and shared text whose original is unknown', () => {
    const roles = rolesOf(['a1', 'a2', 'a3', 'a4', 'a5', 'a6'], links);
    expect(Object.fromEntries([...roles].map(([k, v]) => [k, v.kind]))).toEqual({ a1: 'original', a2: 'copy', a3: 'rewrite', a4: 'shared', a5: 'shared', a6: 'own' });
    expect(roles.get('a2')!.of).toBe('a1');
  });
  it('shows two sources by default, not a copy of one already shown', () => {
    const arts = ['a1', 'a2', 'a3'].map((id) => ({ id, title: null, outlet: null, published: null }));
    expect(defaultColumns(arts, rolesOf(['a1', 'a2', 'a3'], links))).toEqual(['a1', 'a3']);
  });
});
