import { type ArticleDetail, type ArticleSummary, getJson } from './api.js';
import { diffWords } from './diff.js';
import { h } from './dom.js';

export function fmtDate(iso: string | null): string {
  if (!iso) return 'undated';
  return iso.length <= 10 ? iso : iso.slice(0, 16).replace('T', ' ');
}

export function articleRow(a: ArticleSummary & { snippet?: string }): HTMLElement {
  return h(
    'li',
    { class: 'article-row' },
    h('a', { href: `#/article/${a.id}`, class: 'title' }, a.title ?? a.source.split('/').pop() ?? a.id),
    h('div', { class: 'meta' }, h('span', { class: 'outlet' }, a.outlet ?? 'unknown outlet'), ' · ', h('time', null, fmtDate(a.published)), ' · ', `${a.sentenceCount} sentences`),
    a.snippet ? h('p', { class: 'snippet' }, a.snippet) : null,
  );
}

export async function renderArticles(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const offset = Number(params.get('offset') ?? 0) || 0;
  const data = await getJson<{ items: ArticleSummary[]; total: number }>(`/articles?limit=50&offset=${offset}`);
  root.append(
    h('h1', null, 'Articles'),
    h('p', { class: 'muted' }, `${data.total} stored`),
    h('ul', { class: 'article-list' }, ...data.items.map(articleRow)),
    h(
      'nav',
      { class: 'pager', 'aria-label': 'pages' },
      offset > 0 ? h('a', { href: `#/articles?offset=${Math.max(0, offset - 50)}` }, '← newer') : null,
      offset + 50 < data.total ? h('a', { href: `#/articles?offset=${offset + 50}` }, 'older →') : null,
    ),
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
  if (q.trim() === '') return;
  const data = await getJson<{ items: (ArticleSummary & { snippet: string })[] }>(`/search?q=${encodeURIComponent(q)}&limit=50`);
  root.append(h('p', { class: 'muted' }, `${data.items.length} match${data.items.length === 1 ? '' : 'es'}`), h('ul', { class: 'article-list' }, ...data.items.map(articleRow)));
}

function metaRow(label: string, f: { value: string; evidence: { source: string; detail: string } } | null): HTMLElement {
  return h('tr', null, h('th', { scope: 'row' }, label), h('td', null, f ? f.value : '—'), h('td', { class: 'evidence' }, f ? `${f.evidence.source}: ${f.evidence.detail}` : ''));
}

export async function renderArticle(root: HTMLElement, id: string): Promise<void> {
  const a = await getJson<ArticleDetail>(`/articles/${encodeURIComponent(id)}`);
  const m = a.meta;
  const lead = a.sentences[0]?.text ?? '';
  root.append(
    h('h1', null, a.title ?? (lead.length > 110 ? `${lead.slice(0, 107)}...` : lead || '(no text)')),
    h('p', { class: 'muted' }, a.url ? h('a', { href: a.url, rel: 'noopener noreferrer nofollow' }, a.url) : a.source),
    h(
      'table',
      { class: 'meta-table' },
      h('caption', null, 'Metadata and where it came from'),
      h('tbody', null, metaRow('Published', m.published), metaRow('Outlet', m.outlet), metaRow('Syndicator', m.syndicator), ...m.credits.map((c) => metaRow('Credit', c)), metaRow('Dateline', m.dateline), metaRow('Byline', m.byline), metaRow('Language', m.language)),
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
