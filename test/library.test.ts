import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES, REPO, SEED_A, SEED_B } from './helpers/paths.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'parallax-lib-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// a project that depends on the package: its node_modules/parallax-news is this repository
const project = join(dir, 'project');
mkdirSync(join(project, 'node_modules'), { recursive: true });
symlinkSync(REPO, join(project, 'node_modules', 'parallax-news'), 'dir');

/**
 * Runs an ES module that imports the package by its name, as a user's project would: through
 * package.json's exports, from the built files (`npm ci` builds them, as for the CLI tests).
 */
async function script(source: string): Promise<unknown> {
  const file = join(project, `s${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, source);
  const { stdout } = await run(process.execPath, [file], { cwd: project, timeout: 60_000 });
  return JSON.parse(stdout);
}

describe('the library (import from "parallax-news")', () => {
  it('is the package entry point: package.json main, exports and types name built files', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; main: string; types: string; exports: { '.': { default: string; types: string } } };
    expect(pkg.name).toBe('parallax-news');
    for (const f of [pkg.main, pkg.types, pkg.exports['.'].default, pkg.exports['.'].types]) expect(readFileSync(join(REPO, f)).length).toBeGreaterThan(0);
  });

  it('is tested from built files that are current (else: npm run build)', () => {
    const stale: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(join(REPO, d), { withFileTypes: true })) {
        const rel = join(d, e.name);
        if (e.isDirectory()) walk(rel);
        else if (rel.endsWith('.ts') && !rel.endsWith('.d.ts')) {
          const built = join(REPO, 'dist', rel.slice('src/'.length).replace(/\.ts$/, '.js'));
          if (!existsSync(built) || statSync(built).mtimeMs < statSync(join(REPO, rel)).mtimeMs) stale.push(rel);
        }
      }
    };
    walk('src');
    expect(stale, 'run npm run build').toEqual([]);
  });

  it('ingests with the same pipeline as the CLI, and lists stories, articles and reprints from the store', async () => {
    const db = join(dir, 'lib.db');
    const out = (await script(`
      import { openEngine, openStore } from 'parallax-news';
      const store = openStore(${JSON.stringify(db)});
      const engine = openEngine(store);
      const created = [];
      engine.events.on('story.created', (e) => created.push(e.id));
      const report = await engine.ingest([${JSON.stringify(EXAMPLES)}, ${JSON.stringify(SEED_A)}, ${JSON.stringify(SEED_B)}]);
      const stories = await store.stories.list({ limit: 50, sort: 'largest' });
      // the seed pair: the two reports of the Gaza truce talks
      const hits = await store.search('Gaza', { limit: 10 });
      const seed = await Promise.all(hits.map((h) => store.stories.storyOf(h.id)));
      const articles = await store.countArticles();
      await engine.close();
      console.log(JSON.stringify({ report: { new: report.new, failed: report.failed.length }, stories: stories.total, created: created.length, articles, seed }));
    `)) as { report: { new: number; failed: number }; stories: number; created: number; articles: number; seed: string[] };
    expect(out.report).toEqual({ new: 14, failed: 0 });
    expect(out.articles).toBe(14);
    expect(out.created).toBeGreaterThanOrEqual(out.stories);
    expect(out.stories).toBeGreaterThanOrEqual(4);
    // the seed pair is found and lands in one story
    expect(out.seed).toHaveLength(2);
    expect(out.seed[0]).toBe(out.seed[1]);
    expect(out.seed[0]).toMatch(/^s[0-9a-f]{16}$/);
  });

  it('runs the algorithms without a store: stories of a stream, reprints, a comparison, scores, and catalogue errors', async () => {
    const out = (await script(`
      import { readFileSync } from 'node:fs';
      import { buildArticle, parseJsonlLine, clusterStream, clusterInputOf, Deduplicator, dedupDoc, compareArticles, scoreClustering, isParallaxError, ERROR_CODES, OnlineClusterer, DEFAULT_CLUSTER_PARAMS } from 'parallax-news';
      const lines = readFileSync(${JSON.stringify(join(EXAMPLES, 'ecbplus-sample.jsonl'))}, 'utf8').trim().split('\\n');
      const articles = lines.map((l, i) => buildArticle(parseJsonlLine(l, i + 1, 'sample', '2026-11-26T00:00:00Z')));
      const gold = lines.map((l) => JSON.parse(l).story);
      const stories = clusterStream(articles.map(clusterInputOf));
      const scores = scoreClustering(gold, stories.map((s) => String(s.story)));
      const dedup = new Deduplicator();
      const copy = buildArticle(parseJsonlLine(JSON.stringify({ id: 'copy', text: articles[0].text }), 1, 'copy', '2026-11-26T00:00:00Z'));
      dedup.add(dedupDoc(articles[0]));
      const links = dedup.add(dedupDoc({ ...copy, id: 'copy-id' }));
      const cmp = compareArticles(articles.slice(0, 2));
      let error = null;
      try { new OnlineClusterer({ threshold: 'high' }); } catch (e) { error = isParallaxError(e) ? e.code : 'other'; }
      console.log(JSON.stringify({ n: stories.length, f1: scores.bcubed.f1, links: links.map((l) => l.class), cmpArticles: cmp.articles.length, error, known: Object.keys(ERROR_CODES).includes(error), threshold: DEFAULT_CLUSTER_PARAMS.threshold }));
    `)) as { n: number; f1: number; links: string[]; cmpArticles: number; error: string; known: boolean; threshold: number };
    expect(out.n).toBeGreaterThan(5);
    // (0.46: the sample's reports of one event are dated up to six weeks apart, which a story as an
    // event in time, 10-day half-life, keeps apart; every story it makes is pure)
    expect(out.f1).toBeGreaterThan(0.4);
    expect(out.links).toEqual(['exact']);
    expect(out.cmpArticles).toBe(2);
    expect(out.error).toBe('INVALID_FIELD');
    expect(out.known).toBe(true);
    expect(out.threshold).toBe(0.18);
  });
});
