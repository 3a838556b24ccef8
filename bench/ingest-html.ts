/**
 * Ingest of HTML pages with every stage, through the built CLI (`npm run build` first): N news
 * pages generated from the ECB+ articles (a page template with navigation, headline, dated
 * meta tags, the article's paragraphs, related links and a footer), ingested with --workers 0,
 * 1 and 2. HTML extraction (jsdom and Readability) dominates: with workers it runs in them
 * (ReadOptions.deferHtml). Checks that every run stores the same articles and stories.
 *
 *   npx tsx bench/ingest-html.ts [N=1500]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadEcb, machine, REPO } from './common.js';

const n = Number(process.argv[2] ?? 1500);
const cli = join(REPO, 'bin/parallax.js');
if (!existsSync(join(REPO, 'dist/cli/main.js'))) throw new Error('run `npm run build` first: this benchmark runs the built CLI');
const rows = loadEcb();
const dir = mkdtempSync(join(tmpdir(), 'parallax-html-'));
const pages = join(dir, 'pages');
mkdirSync(pages);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
for (let i = 0; i < n; i++) {
  const r = rows[i % rows.length]!;
  const paras = r.text
    .split('\n')
    .map((p) => `<p>${esc(p)} (${i})</p>`)
    .join('\n');
  const day = String(1 + (i % 28)).padStart(2, '0');
  writeFileSync(
    join(pages, `p${i}.html`),
    `<!doctype html><html lang="en"><head><title>Story ${i} | The Daily Example</title><meta property="og:site_name" content="The Daily Example">` +
      `<meta property="article:published_time" content="2024-02-${day}T10:00:00Z"></head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>` +
      `<article><h1>Story ${i}</h1>${paras}</article><aside class="related">Related: other stories</aside><footer>Copyright 2024 The Daily Example</footer></body></html>`,
  );
}
console.log(`machine: ${machine()}`);
console.log(`input: ${n} generated HTML pages from the ECB+ articles`);
const results: string[] = [];
for (const w of [0, 1, 2]) {
  const db = join(dir, `w${w}.db`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'ingest', pages, '--db', db, '--workers', String(w)], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const secs = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`ingest --workers ${w} exited ${r.status}: ${r.stderr}`);
  const d = new Database(db, { readonly: true });
  results.push(JSON.stringify([d.prepare('SELECT id, text, title, published FROM articles ORDER BY id').all(), d.prepare('SELECT article_id, story_id FROM story_members ORDER BY article_id').all()]));
  d.close();
  console.log(`  ingest --workers ${w}: ${secs.toFixed(1)} s = ${(n / secs).toFixed(0)} pages/s`);
}
console.log(`same articles and stories in every run: ${results.every((x) => x === results[0])}`);
rmSync(dir, { recursive: true, force: true });
