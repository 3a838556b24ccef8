import type { ArticleList, SearchResults } from '../../contract/articles.js';
import type { StoryDetail } from '../../contract/stories.js';
import { type ArticleDetail, type ArticleSummary, getJson } from './api.js';
import { diffWords } from './diff.js';
import { h } from './dom.js';
import { fmtDate, timeEl } from './format.js';
import { pager } from './pager.js';

export { fmtDate };

/**
 * A search snippet with its matches as <mark> elements. The snippet is plain text and only
 * ever becomes text nodes; the marks come from the offsets the API gives, not from markup.
 */
export function markedSnippet(snippet: string, highlights: readonly { start: number; end: number }[] = []): HTMLElement {
  const p = h('p', { class: 'snippet' });
  let at = 0;
  for (const r of [...highlights].sort((x, y) => x.start - y.start)) {
    if (r.start < at || r.end > snippet.length || r.end <= r.start) continue;
    p.append(snippet.slice(at, r.start), h('mark', null, snippet.slice(r.start, r.end)));
    at = r.end;
  }
  p.append(snippet.slice(at));
  return p;
}

export function articleRow(a: ArticleSummary & { snippet?: string; highlights?: readonly { start: number; end: number }[] }): HTMLElement {
  return h(
    'li',
    { class: 'article-row' },
    h('a', { href: `#/article/${a.id}`, class: 'title' }, a.title ?? a.externalId ?? a.source.split('/').pop() ?? a.id),
    h(
      'div',
      { class: 'meta' },
      h('span', { class: 'outlet' }, a.outlet ?? 'unknown outlet'),
      ' · ',
      timeEl(a.published, { fetchedAt: a.fetchedAt }),
      ' · ',
      `${a.sentenceCount} sentences`,
      ...(a.story ? [' · ', h('a', { href: `#/story/${a.story}`, class: 'story-of' }, 'its story')] : []),
    ),
    a.snippet ? markedSnippet(a.snippet, a.highlights) : null,
  );
}

export async function renderArticles(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const offset = Math.max(0, Math.floor(Number(params.get('offset') ?? 0) || 0));
  const data = await getJson<ArticleList>(`/articles?limit=50&offset=${offset}`);
  root.append(h('h1', null, 'Articles'));
  if (data.total === 0) {
    root.append(emptyStore());
    return;
  }
  root.append(
    h('p', { class: 'muted' }, `${data.total} stored, newest first`),
    h('ul', { class: 'article-list' }, ...data.items.map(articleRow)),
    pager({ offset, limit: 50, total: data.total, shown: data.items.length, href: (o) => `#/articles${o > 0 ? `?offset=${o}` : ''}`, noun: 'articles' }),
  );
}

export async function renderSearch(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const q = params.get('q') ?? '';
  root.append(h('h1', null, 'Search'));
  const input = h('input', { type: 'search', name: 'q', value: q, placeholder: 'words in titles and texts', 'aria-label': 'search words', autocomplete: 'off' }) as HTMLInputElement;
  const form = h('form', { role: 'search', class: 'search-form' }, input, h('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/search?q=${encodeURIComponent(input.value)}`;
  });
  root.append(form);
  if (q.trim() === '') {
    root.append(
      h(
        'p',
        { class: 'muted' },
        'Type words to find in titles and texts; a word also finds longer words it begins (quake finds quakes). To find stories rather than articles, use the filters on ',
        h('a', { href: '#/' }, 'Stories'),
        '.',
      ),
    );
    return;
  }
  const offset = Math.max(0, Math.floor(Number(params.get('offset') ?? 0) || 0));
  const data = await getJson<SearchResults>(`/search?q=${encodeURIComponent(q)}&limit=50&offset=${offset}`);
  if (data.total === 0) {
    root.append(
      h(
        'div',
        { class: 'empty' },
        h('p', null, `Nothing matches “${q}”.`),
        h('p', null, 'Try fewer or shorter words, or ', h('a', { href: `#/?q=${encodeURIComponent(q)}` }, 'look for stories with these words'), '.'),
      ),
    );
    return;
  }
  root.append(
    h('p', { class: 'muted' }, `${data.total} match${data.total === 1 ? '' : 'es'}, best first`),
    h('ul', { class: 'article-list' }, ...data.items.map(articleRow)),
    pager({ offset, limit: 50, total: data.total, shown: data.items.length, href: (o) => `#/search?q=${encodeURIComponent(q)}${o > 0 ? `&offset=${o}` : ''}`, noun: 'matches' }),
  );
}

function metaRow(label: string, f: { value: string; evidence: { source: string; detail: string } } | null): HTMLElement {
  return h(
    'tr',
    null,
    h('th', { scope: 'row' }, label),
    h('td', null, f ? (label === 'Published' ? timeEl(f.value) : f.value) : label === 'Published' ? 'undated' : '—'),
    h('td', { class: 'evidence' }, f ? `${f.evidence.source}: ${f.evidence.detail}` : ''),
  );
}

/** What an empty store shows: how to put articles in. */
export function emptyStore(): HTMLElement {
  return h(
    'div',
    { class: 'empty' },
    h('p', null, h('strong', null, 'Nothing ingested yet.'), ' Parallax shows stories once it has articles.'),
    h('p', null, 'Add some from a terminal, then reload this page:'),
    h('pre', null, h('code', null, 'npx parallax ingest <files|folders|feed URLs>')),
    h('p', null, 'or send them to the API: ', h('code', null, 'POST /api/v1/ingest'), ' (see ', h('a', { href: '/api/v1/openapi.json' }, 'the API description'), ').'),
  );
}

export async function renderArticle(root: HTMLElement, id: string): Promise<void> {
  const a = await getJson<ArticleDetail>(`/articles/${encodeURIComponent(id)}`);
  const m = a.meta;
  const lead = a.sentences[0]?.text ?? '';
  const story = a.story ? await getJson<StoryDetail>(`/stories/${encodeURIComponent(a.story)}`).catch(() => null) : null;
  root.append(
    h('h1', null, a.title ?? a.externalId ?? (lead.length > 110 ? `${lead.slice(0, 107)}...` : lead || '(no text)')),
    h('p', { class: 'muted' }, a.url ? h('a', { href: a.url, rel: 'noopener noreferrer nofollow' }, a.url) : a.source),
    h(
      'p',
      { class: 'story-link' },
      ...(a.story
        ? ['Part of the story ', h('a', { href: `#/story/${a.story}` }, story?.label ?? a.story), story ? ` (${story.size} article${story.size === 1 ? '' : 's'})` : '']
        : ['Not in a story yet.']),
    ),
    h(
      'table',
      { class: 'meta-table' },
      h('caption', null, 'Metadata and where it came from'),
      h(
        'tbody',
        null,
        metaRow('Published', m.published),
        h('tr', null, h('th', { scope: 'row' }, 'Read'), h('td', null, timeEl(a.fetchedAt)), h('td', { class: 'evidence' }, 'when Parallax ingested it, not a publication date')),
        metaRow('Outlet', m.outlet),
        metaRow('Syndicator', m.syndicator),
        ...m.credits.map((c) => metaRow('Credit', c)),
        metaRow('Dateline', m.dateline),
        metaRow('Byline', m.byline),
        metaRow('Language', m.language),
      ),
    ),
    h('h2', null, 'Text'),
    h('ol', { class: 'sentences', start: 0 }, ...a.sentences.map((s) => h('li', { 'data-index': s.index }, s.text))),
  );
  if (a.versions.length > 1) {
    root.append(h('h2', null, `Versions (${a.versions.length})`));
    for (let i = 1; i < a.versions.length; i++) {
      const prev = a.versions[i - 1]!;
      const cur = a.versions[i]!;
      const ops = diffWords(prev.text, cur.text);
      // a version is dated by the article's own time (its published date) where it gives one
      const when = cur.published ? `published ${fmtDate(cur.published)}` : `read ${fmtDate(cur.fetchedAt)}, undated`;
      root.append(
        h('h3', null, `v${prev.version} → v${cur.version} (${when})`),
        h('p', { class: 'diff words' }, ...ops.map((o) => (o.op === 'same' ? o.text : h(o.op === 'add' ? 'ins' : 'del', { class: `diff-${o.op}` }, o.text)))),
      );
    }
  }
}
