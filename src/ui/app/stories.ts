import { type ArticleSummary, getJson } from './api.js';
import { fmtDate } from './articles.js';
import { clear, h, svg } from './dom.js';
import { renderWhy } from './corrections.js';

export interface StorySummary {
  id: string;
  label: string;
  size: number;
  outlets: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  articles?: { id: string; outlet: string | null; published: string | null }[];
}

interface Comparison {
  articles: { id: string; title: string | null; outlet: string | null; published: string | null; credits?: string[]; label?: string }[];
  sentences: { article: string; index: number; text: string }[];
  facts: { sentences: { article: string; index: number }[]; relation: string }[];
  unique: Record<string, number[]> | { article: string; indexes: number[] }[];
  quotes: { text: string; speaker: string | null; occurrences: { article: string; index: number }[] }[];
  figures: { value: string | number; unit?: string | null; measure: string; attribution?: string | null; article: string; index: number; text?: string }[];
  conflicts: { measure: string; values?: { value: string | number; article: string; index?: number }[]; figures?: { value: string | number; article: string; index?: number }[] }[];
  brief: { text: string; sources: string[] }[];
}

interface ReuseLink {
  a: string;
  b: string;
  class: string;
  original: string | null;
  reason?: string | null;
}

const PALETTE = 8;
function colourIndex(key: string, order: Map<string, number>): number {
  let i = order.get(key);
  if (i === undefined) {
    i = order.size;
    order.set(key, i);
  }
  return i % PALETTE;
}

function tag(label: string, colour: number): HTMLElement {
  return h('span', { class: `tag c${colour}` }, label);
}

/** One segment per article, coloured by outlet, in publication order. */
function coverageBar(s: StorySummary): Element {
  const order = new Map<string, number>();
  const arts = s.articles ?? [];
  const w = 1000;
  const bar = svg('svg', { class: 'coverage', viewBox: `0 0 ${w} 10`, preserveAspectRatio: 'none', role: 'img', 'aria-label': `${s.size} articles from ${s.outlets.length} outlets` });
  const step = w / Math.max(1, arts.length);
  arts.forEach((a, i) => {
    const c = colourIndex(a.outlet ?? '?', order);
    bar.append(svg('rect', { x: (i * step).toFixed(1), y: 0, width: Math.max(1, step - 2).toFixed(1), height: 10, class: `c${c}` }, svg('title', null, `${a.outlet ?? 'unknown outlet'} ${fmtDate(a.published)}`)));
  });
  return bar;
}

export async function renderStories(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const sort = params.get('sort') ?? 'newest';
  const data = await getJson<{ items: StorySummary[]; total: number }>(`/stories?sort=${encodeURIComponent(sort)}&limit=100`);
  const sorts: [string, string][] = [
    ['newest', 'Newest'],
    ['largest', 'Largest'],
    ['outlets', 'Most outlets'],
  ];
  root.append(
    h('h1', null, 'Stories'),
    h('div', { class: 'controls', role: 'group', 'aria-label': 'sort stories' }, 'Sort: ', ...sorts.map(([k, label]) => h('button', { type: 'button', 'aria-pressed': String(k === sort), onclick: () => (location.hash = `#/?sort=${k}`) }, label))),
    h('p', { class: 'muted' }, `${data.total} stories`),
    h(
      'ul',
      { class: 'story-list' },
      ...data.items.map((s) =>
        h(
          'li',
          { class: 'story-row', 'data-story': s.id },
          h('a', { href: `#/story/${s.id}`, class: 'title' }, s.label),
          coverageBar(s),
          h('div', { class: 'meta' }, `${s.size} article${s.size === 1 ? '' : 's'} · ${s.outlets.length} outlet${s.outlets.length === 1 ? '' : 's'} · ${fmtDate(s.firstSeen)} – ${fmtDate(s.lastSeen)}`),
        ),
      ),
    ),
  );
}

function uniqueOf(c: Comparison): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  if (Array.isArray(c.unique)) for (const u of c.unique) out.set(u.article, new Set(u.indexes));
  else for (const [k, v] of Object.entries(c.unique)) out.set(k, new Set(v));
  return out;
}

function timeline(articles: Comparison['articles'], colours: Map<string, number>): Element {
  const dated = articles.filter((a) => a.published && !Number.isNaN(Date.parse(a.published)));
  const w = 900;
  const hgt = 90;
  const plot = svg('svg', { class: 'plot', viewBox: `0 0 ${w} ${hgt}`, role: 'img', 'aria-label': `timeline of ${dated.length} dated articles` });
  if (dated.length === 0) {
    plot.append(svg('text', { x: 10, y: 45 }, 'No article in this story carries a date.'));
    return plot;
  }
  if (dated.length < articles.length) plot.append(svg('text', { x: 30, y: 18 }, `${dated.length} of ${articles.length} articles carry a date`));
  const times = dated.map((a) => Date.parse(a.published!));
  const min = Math.min(...times);
  const max = Math.max(...times);
  const span = Math.max(1, max - min);
  plot.append(svg('line', { x1: 30, x2: w - 30, y1: 60, y2: 60, stroke: '#9aa5b1' }));
  dated.forEach((a, i) => {
    const x = 30 + ((times[i]! - min) / span) * (w - 60);
    const c = colours.get(a.id) ?? 0;
    plot.append(svg('circle', { cx: x.toFixed(1), cy: 60 - (i % 3) * 14, r: 6, class: `c${c}` }, svg('title', null, `${a.outlet ?? a.id}: ${fmtDate(a.published)}`)));
  });
  plot.append(svg('text', { x: 30, y: 82 }, fmtDate(new Date(min).toISOString())), svg('text', { x: w - 30, y: 82, 'text-anchor': 'end' }, fmtDate(new Date(max).toISOString())));
  return plot;
}

function reprintGraph(articles: Comparison['articles'], links: ReuseLink[], colours: Map<string, number>): Element {
  const n = articles.length;
  const w = 900;
  const hgt = Math.max(160, Math.min(420, 60 + n * 18));
  const g = svg('svg', { class: 'plot', viewBox: `0 0 ${w} ${hgt}`, role: 'img', 'aria-label': `reprint graph: ${links.length} copy relations` });
  g.append(svg('defs', null, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 16, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#5b6673' }))));
  const pos = new Map<string, [number, number]>();
  articles.forEach((a, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, n) - Math.PI / 2;
    pos.set(a.id, [w / 2 + Math.cos(angle) * (w / 2 - 140), hgt / 2 + Math.sin(angle) * (hgt / 2 - 30)]);
  });
  for (const l of links) {
    const from = l.original === l.b ? l.b : l.a;
    const to = from === l.a ? l.b : l.a;
    const p = pos.get(from);
    const q = pos.get(to);
    if (!p || !q) continue;
    g.append(svg('line', { x1: p[0].toFixed(1), y1: p[1].toFixed(1), x2: q[0].toFixed(1), y2: q[1].toFixed(1), stroke: '#5b6673', 'stroke-width': 1.5, 'marker-end': 'url(#arrow)' }, svg('title', null, `${l.class}${l.reason ? ` (${l.reason})` : ''}`)));
  }
  for (const a of articles) {
    const [x, y] = pos.get(a.id)!;
    g.append(svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 8, class: `c${colours.get(a.id) ?? 0}` }), svg('text', { x: (x + 11).toFixed(1), y: (y + 4).toFixed(1) }, (a.label ?? a.outlet ?? a.title ?? a.id).slice(0, 28)));
  }
  if (links.length === 0) g.append(svg('text', { x: 10, y: 20 }, 'No reprints found between these articles: each is its own writing.'));
  return g;
}

export async function renderStory(root: HTMLElement, id: string): Promise<void> {
  const story = await getJson<StorySummary & { articles: ArticleSummary[] }>(`/stories/${encodeURIComponent(id)}`);
  const cmp = await getJson<Comparison>(`/stories/${encodeURIComponent(id)}/comparison`);
  let links: ReuseLink[] = [];
  try {
    links = (await getJson<{ items: ReuseLink[] }>(`/stories/${encodeURIComponent(id)}/reprints`)).items;
  } catch {
    links = [];
  }
  const colours = new Map<string, number>();
  cmp.articles.forEach((a, i) => colours.set(a.id, i % PALETTE));
  const name = new Map(cmp.articles.map((a, i) => [a.id, a.label ?? a.outlet ?? `Source ${i + 1}`]));
  const srcTag = (article: string): HTMLElement => tag(name.get(article) ?? article, colours.get(article) ?? 0);

  root.append(h('h1', null, story.label), h('p', { class: 'muted' }, `${story.size} articles · ${story.outlets.length} outlets · ${fmtDate(story.firstSeen)} – ${fmtDate(story.lastSeen)}`));

  // brief
  root.append(h('h2', null, 'Brief'), h('ol', { class: 'brief' }, ...cmp.brief.map((b) => h('li', null, b.text, ' ', ...b.sources.map(srcTag)))));

  // side by side
  const factOf = new Map<string, number>();
  cmp.facts.forEach((f, fi) => {
    for (const s of f.sentences) factOf.set(`${s.article}:${s.index}`, fi);
  });
  const unique = uniqueOf(cmp);
  const columns = h('div', { class: 'columns', id: 'sources' });
  const highlight = (fact: string | null): void => {
    for (const el of columns.querySelectorAll('.sent.hi')) el.classList.remove('hi');
    if (fact !== null) for (const el of columns.querySelectorAll(`.sent[data-fact="${fact}"]`)) el.classList.add('hi');
  };
  for (const a of cmp.articles) {
    const sents = cmp.sentences.filter((s) => s.article === a.id).sort((x, y) => x.index - y.index);
    const col = h('section', { class: 'column', 'aria-label': `source ${name.get(a.id)}` }, h('h3', null, srcTag(a.id), ' ', h('a', { href: `#/article/${a.id}` }, a.title ?? 'article page')), h('div', { class: 'meta' }, fmtDate(a.published), a.credits && a.credits.length > 0 ? ` · credits ${a.credits.join(', ')}` : ''));
    for (const s of sents) {
      const fact = factOf.get(`${s.article}:${s.index}`);
      const isUnique = unique.get(a.id)?.has(s.index) ?? false;
      const el = h('span', {
        class: `sent${fact !== undefined ? ' aligned' : ''}${isUnique ? ' unique' : ''}`,
        'data-article': a.id,
        'data-index': s.index,
        'data-fact': fact !== undefined ? String(fact) : null,
        tabindex: 0,
        'aria-label': fact !== undefined ? `sentence ${s.index + 1}, reported by ${cmp.facts[fact]!.sentences.length > 1 ? 'several sources' : 'this source'}` : `sentence ${s.index + 1}${isUnique ? ', only in this source' : ''}`,
      }, s.text);
      const on = (): void => highlight(fact !== undefined ? String(fact) : null);
      el.addEventListener('mouseenter', on);
      el.addEventListener('focus', on);
      el.addEventListener('mouseleave', () => highlight(null));
      el.addEventListener('blur', () => highlight(null));
      col.append(el);
    }
    columns.append(col);
  }
  root.append(h('h2', null, 'Sources side by side'), h('p', { class: 'muted' }, 'Hover or focus a sentence to see where the other sources report it. Green: only in this source.'), columns);

  // quotes
  root.append(
    h('h2', null, `Quotes (${cmp.quotes.length})`),
    h('ul', { class: 'quotes' }, ...cmp.quotes.map((q) => h('li', null, h('q', null, q.text), ' — ', h('strong', null, q.speaker ?? 'unattributed'), ' ', ...[...new Set(q.occurrences.map((o) => o.article))].map(srcTag)))),
  );

  // figures
  const conflictMeasures = new Set(cmp.conflicts.map((c) => c.measure));
  const figures = h(
    'table',
    { class: 'figures', id: 'figures' },
    h('caption', { class: 'muted' }, conflictMeasures.size > 0 ? `${conflictMeasures.size} measure(s) where sources differ are highlighted` : 'No conflicting figures'),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Measure'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, 'Attributed to'), h('th', { scope: 'col' }, 'Source'))),
    h(
      'tbody',
      null,
      ...[...cmp.figures]
        .sort((x, y) => x.measure.localeCompare(y.measure))
        .map((f) => h('tr', { class: conflictMeasures.has(f.measure) ? 'conflict' : null }, h('td', null, f.measure), h('td', null, `${typeof f.value === 'number' ? f.value.toLocaleString('en') : f.value}${f.unit ? ` ${f.unit}` : ''}`), h('td', null, f.attribution ?? '—'), h('td', null, srcTag(f.article)))),
    ),
  );
  root.append(h('h2', null, `Figures (${cmp.figures.length})`), figures);

  root.append(h('h2', null, 'Timeline'), timeline(cmp.articles, colours));
  root.append(h('h2', null, 'Reprints'), reprintGraph(cmp.articles, links, colours));
  await renderWhy(root, id);
}

export { clear };
