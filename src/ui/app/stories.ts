import type { Comparison } from '../../contract/comparison.js';
import type { LinkList, StoryDetail, StoryList, StorySummary } from '../../contract/index.js';
import { getJson } from './api.js';
import { emptyStore } from './articles.js';
import { clear, h, svg } from './dom.js';
import { fmtDate, fmtSpan, timeEl, timeZoneNote } from './format.js';
import { pager } from './pager.js';
import { rovingGroup } from './roving.js';
import { defaultColumns, MAX_COLUMNS, type ReuseLink, rolesOf, sourceTable } from './story-sources.js';
import { timeline, type TimelineItem } from './timeline.js';
import { renderWhy } from './corrections.js';

export type { StorySummary } from '../../contract/stories.js';

/**
 * Colour classes c0..c11; a colour never stands alone (every coloured mark carries its
 * outlet's name as text or a tooltip), since twelve colours cannot stay distinct for every story.
 */
const PALETTE = 12;
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
    bar.append(
      svg(
        'rect',
        { x: (i * step).toFixed(1), y: 0, width: Math.max(1, step - 2).toFixed(1), height: 10, class: `c${c}` },
        svg('title', null, `${a.outlet ?? 'unknown outlet'} ${fmtDate(a.published)}`),
      ),
    );
  });
  return bar;
}

/** The list's filters, as the address carries them and the API takes them. */
const FILTERS = ['q', 'outlet', 'since', 'until', 'minArticles', 'minOutlets'] as const;
const PAGE = 20;

function filterForm(params: URLSearchParams, sort: string): HTMLElement {
  const field = (name: string, label: string, attrs: Record<string, string | number>): HTMLElement =>
    h('label', { class: 'field' }, h('span', null, label), h('input', { name, value: params.get(name) ?? '', ...attrs }));
  const single = h('input', { type: 'checkbox', name: 'minArticles', value: '2', checked: Number(params.get('minArticles') ?? 0) >= 2 });
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'filter stories' },
    field('q', 'Words', { type: 'search', placeholder: 'in any of its articles', autocomplete: 'off' }),
    field('outlet', 'Outlet', { type: 'text', placeholder: 'e.g. Reuters', autocomplete: 'off' }),
    field('since', 'From', { type: 'date' }),
    field('until', 'Before', { type: 'date' }),
    field('minOutlets', 'Min. outlets', { type: 'number', min: 1, step: 1, inputmode: 'numeric' }),
    h('label', { class: 'check' }, single, ' Hide single-article stories'),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Apply'), FILTERS.some((f) => params.has(f)) ? h('a', { href: `#/?sort=${sort}` }, 'Clear filters') : null),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    next.set('sort', sort);
    for (const el of form.querySelectorAll('input')) {
      const v = el.value.trim();
      if (el.type === 'checkbox' ? el.checked : v !== '') next.set(el.name, v);
    }
    location.hash = `#/?${next.toString()}`;
  });
  return form;
}

export async function renderStories(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const sort = ['newest', 'largest', 'outlets'].includes(params.get('sort') ?? '') ? params.get('sort')! : 'newest';
  const offset = Math.max(0, Math.floor(Number(params.get('offset') ?? 0) || 0));
  const api = new URLSearchParams({ sort, limit: String(PAGE), offset: String(offset) });
  for (const f of FILTERS) {
    const v = params.get(f)?.trim();
    if (v) api.set(f, v);
  }
  const data = await getJson<StoryList>(`/stories?${api.toString()}`);
  const filtered = FILTERS.some((f) => api.has(f));
  const here = (changes: Record<string, string | null>): string => {
    const p = new URLSearchParams(api);
    p.delete('limit');
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) p.delete(k);
      else p.set(k, v);
    }
    if (p.get('offset') === '0') p.delete('offset');
    return `#/?${p.toString()}`;
  };
  const sorts: [string, string][] = [
    ['newest', 'Newest'],
    ['largest', 'Largest'],
    ['outlets', 'Most outlets'],
  ];
  root.append(h('h1', null, 'Stories'));
  if (data.total === 0 && !filtered) {
    root.append(emptyStore());
    return;
  }
  root.append(
    filterForm(params, sort),
    h(
      'div',
      { class: 'controls', role: 'group', 'aria-label': 'sort stories' },
      'Sort: ',
      ...sorts.map(([k, label]) => h('button', { type: 'button', 'aria-pressed': String(k === sort), onclick: () => (location.hash = here({ sort: k, offset: null })) }, label)),
    ),
  );
  if (data.total === 0) {
    root.append(
      h(
        'div',
        { class: 'empty', role: 'status' },
        h('p', null, h('strong', null, 'No story matches these filters.')),
        h('p', null, 'Try fewer words, another spelling of the outlet, a wider date range, or ', h('a', { href: `#/?sort=${sort}` }, 'clear the filters'), '.'),
      ),
    );
    return;
  }
  root.append(
    h('p', { class: 'muted', role: 'status' }, `${data.total} ${filtered ? 'matching ' : ''}stor${data.total === 1 ? 'y' : 'ies'}`),
    h(
      'ul',
      { class: 'story-list' },
      ...data.items.map((s) =>
        h(
          'li',
          { class: 'story-row', 'data-story': s.id },
          h('a', { href: `#/story/${s.id}`, class: 'title' }, s.label),
          coverageBar(s),
          h('div', { class: 'meta' }, `${s.size} article${s.size === 1 ? '' : 's'} · ${s.outlets.length} outlet${s.outlets.length === 1 ? '' : 's'} · ${fmtSpan(s.firstSeen, s.lastSeen)}`),
        ),
      ),
    ),
    pager({ offset, limit: PAGE, total: data.total, shown: data.items.length, href: (o) => here({ offset: String(o) }), noun: 'stories' }),
  );
}

function uniqueOf(c: Comparison): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const [k, v] of Object.entries(c.unique)) out.set(k, new Set(v));
  return out;
}

/**
 * The reprint graph: an arrow from original to copy only where the original is known; a
 * dashed line, no arrow, where two texts share passages and neither can be said to be first.
 * The legend and a list in words say the same as the drawing.
 */
function reprintGraph(articles: Comparison['articles'], links: readonly ReuseLink[], colours: Map<string, number>, name: (id: string) => string): Element {
  const n = articles.length;
  const w = 900;
  const hgt = Math.max(160, Math.min(420, 60 + n * 18));
  const known = links.filter((l) => l.original !== null);
  const g = svg('svg', {
    class: 'plot',
    viewBox: `0 0 ${w} ${hgt}`,
    role: 'img',
    'aria-label': `reprint graph: ${known.length} copies with a known original, ${links.length - known.length} shared texts without`,
  });
  g.append(
    svg(
      'defs',
      null,
      svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 16, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' })),
    ),
  );
  const pos = new Map<string, [number, number]>();
  articles.forEach((a, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, n) - Math.PI / 2;
    pos.set(a.id, [w / 2 + Math.cos(angle) * (w / 2 - 140), hgt / 2 + Math.sin(angle) * (hgt / 2 - 30)]);
  });
  for (const l of links) {
    const from = l.original ?? l.a;
    const to = from === l.a ? l.b : l.a;
    const p = pos.get(from);
    const q = pos.get(to);
    if (!p || !q) continue;
    const title = l.original ? `${name(to)} copies ${name(from)} (${l.class}${l.reason ? `; ${l.reason}` : ''})` : `${name(l.a)} and ${name(l.b)} share text (${l.class}); which came first is unknown`;
    g.append(
      svg(
        'line',
        {
          x1: p[0].toFixed(1),
          y1: p[1].toFixed(1),
          x2: q[0].toFixed(1),
          y2: q[1].toFixed(1),
          class: l.original ? 'link known' : 'link unknown',
          'marker-end': l.original ? 'url(#arrow)' : null,
          'data-original': l.original ? 'known' : 'unknown',
        },
        svg('title', null, title),
      ),
    );
  }
  for (const a of articles) {
    const [x, y] = pos.get(a.id)!;
    g.append(svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 8, class: `c${colours.get(a.id) ?? 0}` }), svg('text', { x: (x + 11).toFixed(1), y: (y + 4).toFixed(1) }, name(a.id).slice(0, 28)));
  }
  if (links.length === 0) g.append(svg('text', { x: 10, y: 20 }, 'No reprints found between these articles: each is its own writing.'));
  const legend = h(
    'ul',
    { class: 'legend', 'aria-label': 'legend' },
    h('li', null, h('span', { class: 'key key-known', 'aria-hidden': 'true' }), 'Arrow: from the original to its copy (the original is known)'),
    h('li', null, h('span', { class: 'key key-unknown', 'aria-hidden': 'true' }), 'Dashed line: the two share text; which came first is unknown'),
    h('li', null, 'Dots are coloured by outlet and labelled with its name'),
  );
  const words = h(
    'ul',
    { class: 'reprint-list' },
    ...links.map((l) => {
      if (!l.original) return h('li', null, `${name(l.a)} and ${name(l.b)} share text (${l.class}); original unknown`);
      const copy = l.original === l.a ? l.b : l.a;
      return h('li', null, `${name(copy)} copies ${name(l.original)} (${l.class}${l.reason ? `; ${l.reason}` : ''})`);
    }),
  );
  // a big family of copies is hundreds of pairs: listed in words on demand
  const list = links.length === 0 ? null : links.length <= 8 ? words : h('details', null, h('summary', null, `${links.length} reprint links in words`), words);
  return h('div', { class: 'reprints' }, g, legend, list);
}

/** Brief sources: a few tags inline; more collapse to a count that opens the list. */
function briefSources(ids: readonly string[], srcTag: (id: string) => HTMLElement): Node {
  if (ids.length <= 3) return h('span', { class: 'brief-sources' }, ...ids.map(srcTag));
  return h('details', { class: 'brief-sources' }, h('summary', null, `${ids.length} sources`), h('span', null, ...ids.map(srcTag)));
}

/**
 * Section links scroll to the section and focus its heading. They are not `#id` links: the
 * hash holds the page's route, and an in-page anchor there would leave the story.
 */
function jumpTo(e: Event, target: string): void {
  e.preventDefault();
  const heading = document.getElementById(target)?.querySelector('h2');
  if (!heading) return;
  heading.setAttribute('tabindex', '-1');
  heading.scrollIntoView();
  heading.focus({ preventScroll: true });
}

/** A section landmark with its heading: sections are what keyboard and screen-reader users move by. */
function section(id: string, title: string, ...children: (Node | null)[]): HTMLElement {
  return h('section', { id, 'aria-labelledby': `${id}-h`, class: 'story-section' }, h('h2', { id: `${id}-h` }, title), ...children);
}

export async function renderStory(root: HTMLElement, id: string, params: URLSearchParams = new URLSearchParams()): Promise<void> {
  const [story, cmp, links] = await Promise.all([
    getJson<StoryDetail>(`/stories/${encodeURIComponent(id)}`),
    getJson<Comparison>(`/stories/${encodeURIComponent(id)}/comparison`),
    getJson<LinkList>(`/stories/${encodeURIComponent(id)}/reprints`).then(
      (r) => r.items,
      () => [] as ReuseLink[],
    ),
  ]);
  const outletOrder = new Map<string, number>();
  const colours = new Map<string, number>();
  for (const a of cmp.articles) colours.set(a.id, colourIndex(a.outlet ?? a.id, outletOrder));
  const name = (article: string): string => {
    const i = cmp.articles.findIndex((a) => a.id === article);
    const a = cmp.articles[i];
    return a?.label ?? a?.outlet ?? `Source ${i + 1}`;
  };
  const srcTag = (article: string): HTMLElement => tag(name(article), colours.get(article) ?? 0);
  const roles = rolesOf(
    cmp.articles.map((a) => a.id),
    links,
  );
  const known = new Set(cmp.articles.map((a) => a.id));
  const asked = (params.get('cols') ?? '')
    .split(',')
    .filter((x) => known.has(x))
    .slice(0, MAX_COLUMNS);
  let chosen = asked.length > 0 ? asked : defaultColumns(cmp.articles, roles);

  root.append(
    h('h1', null, story.label),
    h(
      'p',
      { class: 'muted' },
      `${story.size} article${story.size === 1 ? '' : 's'} · ${story.outlets.length} outlet${story.outlets.length === 1 ? '' : 's'} · ${fmtSpan(story.firstSeen, story.lastSeen)}`,
    ),
    h(
      'nav',
      { class: 'toc', 'aria-label': 'sections of this story' },
      ...[
        ['sources-table', 'Sources'],
        ['brief', 'Brief'],
        ['side-by-side', 'Side by side'],
        ['quotes', 'Quotes'],
        ['figures-section', 'Figures'],
        ['timeline', 'Timeline'],
        ['reprints', 'Reprints'],
        ['why', 'Why linked'],
        ['correct', 'Correct'],
      ].map(([target, label]) => h('a', { href: `#/story/${id}`, 'data-target': target, onclick: (e: Event) => jumpTo(e, target!) }, label)),
    ),
  );

  // side by side: only the chosen sources, re-drawn in place when the choice changes
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
  const groups: HTMLElement[][] = [];
  const drawColumns = (): void => {
    clear(columns);
    groups.length = 0;
    columns.setAttribute('data-count', String(chosen.length));
    if (chosen.length === 0) {
      columns.append(h('p', { class: 'empty' }, 'No source chosen: tick two to four in the table above.'));
      return;
    }
    for (const a of cmp.articles.filter((x) => chosen.includes(x.id))) {
      const sents = cmp.sentences.filter((s) => s.article === a.id).sort((x, y) => x.index - y.index);
      const col = h(
        'section',
        { class: 'column', 'aria-label': `source ${name(a.id)}` },
        h('h3', null, srcTag(a.id), ' ', h('a', { href: `#/article/${a.id}` }, a.title ?? 'article page')),
        h('div', { class: 'meta' }, timeEl(a.published), a.credits.length > 0 ? ` · credits ${a.credits.join(', ')}` : ''),
      );
      const items: HTMLElement[] = [];
      for (const s of sents) {
        const fact = factOf.get(`${s.article}:${s.index}`);
        const isUnique = unique.get(a.id)?.has(s.index) ?? false;
        const others = fact !== undefined ? new Set(cmp.facts[fact]!.sentences.map((x) => x.article)).size : 1;
        const el = h(
          'span',
          {
            class: `sent${fact !== undefined ? ' aligned' : ''}${isUnique ? ' unique' : ''}`,
            'data-article': a.id,
            'data-index': s.index,
            'data-fact': fact !== undefined ? String(fact) : null,
            'aria-label': `sentence ${s.index + 1}${fact !== undefined ? `, reported by ${others} sources` : ''}${isUnique ? ', only in this source' : ''}: ${s.text}`,
          },
          s.text,
        );
        const on = (): void => highlight(fact !== undefined ? String(fact) : null);
        el.addEventListener('mouseenter', on);
        el.addEventListener('focus', on);
        el.addEventListener('mouseleave', () => highlight(null));
        el.addEventListener('blur', () => highlight(null));
        items.push(el);
        col.append(el);
      }
      groups.push(items);
      rovingGroup(items, () => groups);
      columns.append(col);
    }
  };
  drawColumns();
  const table = sourceTable({
    articles: cmp.articles,
    roles,
    name,
    tag: srcTag,
    chosen,
    onChange: (next) => {
      chosen = next;
      drawColumns();
      // the choice is part of the address (shareable), without a reload or a history entry
      history.replaceState(null, '', `#/story/${id}?cols=${chosen.join(',')}`);
    },
  });
  root.append(section('sources-table', `Sources (${cmp.articles.length})`, table));

  root.append(section('brief', 'Brief', h('ol', { class: 'brief' }, ...cmp.brief.map((b) => h('li', null, b.text, ' ', briefSources(b.sources, srcTag))))));

  root.append(
    section(
      'side-by-side',
      'Sources side by side',
      h(
        'p',
        { class: 'muted' },
        'Hover or focus a sentence to see where the other sources report it; green: only in this source. Keyboard: Tab enters a column, arrow keys move between sentences and columns.',
      ),
      columns,
    ),
  );

  // quotes
  root.append(
    section(
      'quotes',
      `Quotes (${cmp.quotes.length})`,
      h(
        'ul',
        { class: 'quotes' },
        ...cmp.quotes.map((q) =>
          h('li', null, h('q', null, q.text), ' — ', h('strong', null, q.speaker ?? 'unattributed'), ' ', briefSources([...new Set(q.occurrences.map((o) => o.article))], srcTag)),
        ),
      ),
    ),
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
        .map((f) =>
          h(
            'tr',
            { class: conflictMeasures.has(f.measure) ? 'conflict' : null },
            h('td', null, f.measure),
            h('td', null, `${f.qualifier ? `${f.qualifier} ` : ''}${typeof f.value === 'number' ? f.value.toLocaleString('en') : f.value}${f.unit ? ` ${f.unit}` : ''}`),
            h('td', null, f.attribution ?? '—'),
            h('td', null, srcTag(f.article)),
          ),
        ),
    ),
  );
  root.append(section('figures-section', `Figures (${cmp.figures.length})`, h('div', { class: 'table-wrap' }, figures)));

  const items: TimelineItem[] = cmp.articles.map((a) => ({ id: a.id, outlet: a.outlet, published: a.published, label: name(a.id), colour: colours.get(a.id) ?? 0 }));
  root.append(section('timeline', 'Timeline', timeline(items), h('p', { class: 'muted' }, timeZoneNote())));
  root.append(section('reprints', 'Reprints', reprintGraph(cmp.articles, links, colours, name)));
  await renderWhy(root, id);
}

export { clear };
