import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { ClusterStage } from '../src/stages/cluster.js';
import { toIsoDate } from '../src/ingest/draft.js';
import { createApp } from '../src/server/app.js';
import { SERVER_EXTENSIONS } from '../src/server/extensions.js';
import { ApiDate, ApiInstant } from '../src/contract/common.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'px-dates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dates read from inputs', () => {
  it('a date without a time of day stays a calendar date; a time makes a UTC instant', () => {
    expect(toIsoDate('May 3, 2013')).toBe('2013-05-03');
    expect(toIsoDate('Fri, 3 May 2013')).toBe('2013-05-03');
    expect(toIsoDate('2013-05')).toBe('2013-05-01');
    expect(toIsoDate('2013-05-03')).toBe('2013-05-03');
    expect(toIsoDate('2013-05-03T14:20:00+02:00')).toBe('2013-05-03T12:20:00.000Z');
    expect(toIsoDate('Fri, 03 May 2013 14:20:00 GMT')).toBe('2013-05-03T14:20:00.000Z');
    expect(toIsoDate('not a date')).toBeNull();
  });
});

describe('story spans and order use publication dates', () => {
  const quake = (n: number, extra: string) =>
    `A magnitude 6.1 earthquake struck the Zagros mountains near the town of Qeshm on Sunday, killing ${n} people and injuring dozens, Iranian state television said. ${extra} Rescue teams from the Red Crescent reached the villages around Qeshm by nightfall.`;
  const flood = (extra: string) =>
    `Floodwaters from the Tisza river forced the evacuation of 2,000 residents of Szeged on Tuesday, the Hungarian disaster agency said. ${extra} Soldiers piled sandbags along the embankment through the night.`;

  it('an undated article is not dated by its ingest time; undated stories sort after dated ones', async () => {
    const path = join(dir, 'spans.db');
    const engine = new Engine({ store: SqliteStore.open({ path }), stages: [new ClusterStage()] });
    await engine.ingest([]);
    const jsonl = join(dir, 'in.jsonl');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      jsonl,
      [
        { id: 'q1', text: quake(12, 'The quake hit at dawn.'), published: '2009-02-03' },
        { id: 'q2', text: quake(14, 'Aftershocks followed.'), published: '2009-02-04T08:30:00Z' },
        { id: 'q3', text: quake(14, 'Schools were closed.') },
        { id: 'f1', text: flood('The river rose overnight.') },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    await engine.ingest([jsonl]);
    const { items } = await engine.store.stories.list({ limit: 10, sort: 'newest' });
    expect(items.map((s) => [s.size, s.firstSeen, s.lastSeen, s.undated])).toEqual([
      [3, '2009-02-03', '2009-02-04T08:30:00.000Z', 1],
      // ingested last, but it has no publication date: after the 2009 story, not before it
      [1, null, null, 1],
    ]);
    expect(items[1]!.lastIngested).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // the dated articles in publication order, the undated one last
    expect(items[0]!.articles.map((a) => a.published)).toEqual(['2009-02-03', '2009-02-04T08:30:00.000Z', null]);

    // every date the API sends has one of the two documented forms
    const app = createApp({ engine, log: () => {}, ui: false, extend: SERVER_EXTENSIONS });
    const list = (await (await app.request('/api/v1/stories')).json()) as { items: Array<Record<string, unknown>> };
    for (const s of list.items) {
      for (const k of ['firstSeen', 'lastSeen']) if (s[k] !== null) expect(ApiDate.safeParse(s[k]).success).toBe(true);
      expect(ApiInstant.safeParse(s['lastIngested']).success).toBe(true);
    }
    const arts = (await (await app.request('/api/v1/articles?limit=10')).json()) as { items: Array<{ published: string | null; fetchedAt: string }> };
    expect(arts.items.map((a) => a.published)).toEqual(['2009-02-04T08:30:00.000Z', '2009-02-03', null, null]);
    for (const a of arts.items) expect(ApiInstant.safeParse(a.fetchedAt).success).toBe(true);
    await engine.close();

    // a store written before: spans mixed ingest times in; opening it fixes them
    const db = new Database(path);
    db.prepare("UPDATE stories SET first_seen = '2009-02-03', last_seen = '2026-12-05T16:17:00.000Z'").run();
    db.prepare("DELETE FROM repository_migrations WHERE repository = 'stories' AND version = 2").run();
    db.close();
    const reopened = SqliteStore.open({ path });
    const again = await reopened.stories.list({ limit: 10 });
    expect(again.items.map((s) => [s.firstSeen, s.lastSeen])).toEqual([
      ['2009-02-03', '2009-02-04T08:30:00.000Z'],
      [null, null],
    ]);
    await reopened.close();
  });
});
