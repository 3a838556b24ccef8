import type { Source, SourceAddResult, SourceList } from '../../contract/sources.js';
import { ApiError, getJson } from './api.js';
import { fmtDate } from './articles.js';
import { h, svg } from './dom.js';

export type SourceRow = Source;

function every(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${Math.round(seconds / 60)} min`;
}

/** Articles per day as small bars, one per day, the tallest day full height. */
export function perDayChart(s: SourceRow): Element {
  const days = s.articlesPerDay;
  const max = Math.max(1, ...days.map((d) => d.articles));
  const total = days.reduce((n, d) => n + d.articles, 0);
  const w = 8;
  const height = 24;
  const chart = svg('svg', {
    class: 'per-day',
    viewBox: `0 0 ${days.length * w} ${height}`,
    width: days.length * w,
    height,
    role: 'img',
    'aria-label': `${total} articles in the last ${days.length} days`,
  });
  days.forEach((d, i) => {
    const bh = d.articles === 0 ? 1 : Math.max(2, Math.round((d.articles / max) * height));
    chart.append(
      svg(
        'rect',
        { x: i * w + 1, y: height - bh, width: w - 2, height: bh, class: d.articles === 0 ? 'bar-empty' : 'bar' },
        svg('title', null, `${d.day}: ${d.articles} article${d.articles === 1 ? '' : 's'}`),
      ),
    );
  });
  return chart;
}

function health(s: SourceRow): HTMLElement {
  if (!s.lastFetchAt) return h('span', { class: 'health pending' }, 'not polled yet');
  if (s.consecutiveFailures > 0) return h('span', { class: 'health failing' }, `${s.consecutiveFailures} failure${s.consecutiveFailures === 1 ? '' : 's'}`);
  return h('span', { class: 'health ok' }, 'ok');
}

function row(s: SourceRow): HTMLElement[] {
  const rows = [
    h(
      'tr',
      { 'data-source': s.id, class: s.consecutiveFailures > 0 ? 'failing' : null },
      h('td', null, String(s.id)),
      h('td', null, h('div', { class: 'title' }, s.title ?? '(untitled)'), h('a', { href: s.url, rel: 'noopener noreferrer nofollow', class: 'url' }, s.url)),
      h('td', null, `${s.kind}${s.format ? ` · ${s.format}` : ''}`),
      h('td', null, every(s.interval)),
      h('td', null, h('time', { datetime: s.lastFetchAt ?? '' }, s.lastFetchAt ? fmtDate(s.lastFetchAt) : 'never')),
      h('td', { class: 'status' }, s.lastStatus === null ? (s.lastFetchAt ? 'no answer' : '—') : String(s.lastStatus)),
      h('td', null, health(s)),
      h('td', { class: 'num' }, String(s.articles)),
      h('td', null, perDayChart(s)),
      h('td', null, h('time', { datetime: s.nextDueAt }, fmtDate(s.nextDueAt))),
    ),
  ];
  if (s.lastError) rows.push(h('tr', { class: 'source-error' }, h('td', null), h('td', { colspan: 9 }, h('span', { class: 'label' }, 'Last error: '), s.lastError)));
  return rows;
}

async function postSource(body: unknown, token: string): Promise<{ status: number; body: SourceAddResult | { error: { message: string } } }> {
  const res = await fetch('/api/v1/sources', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as SourceAddResult | { error: { message: string } } };
}

function addForm(onAdded: () => void): HTMLElement {
  const url = h('input', { type: 'url', name: 'url', id: 'source-url', placeholder: 'https://example.com/feed.xml or a site', autocomplete: 'off' }) as HTMLInputElement;
  const interval = h(
    'select',
    { name: 'interval', id: 'source-interval' },
    ...['5m', '15m', '30m', '1h', '6h', '1d'].map((v) => h('option', { value: v, selected: v === '15m' }, v)),
  ) as HTMLSelectElement;
  const follow = h(
    'select',
    { name: 'follow', id: 'source-follow' },
    h('option', { value: 'auto', selected: true }, 'when the item is a summary'),
    h('option', { value: 'always' }, 'always'),
    h('option', { value: 'never' }, 'never'),
  ) as HTMLSelectElement;
  const priv = h('input', { type: 'checkbox', name: 'allowPrivate', id: 'source-private' }) as HTMLInputElement;
  const token = h('input', { type: 'password', name: 'token', id: 'source-token', autocomplete: 'off', placeholder: 'PARALLAX_TOKEN' }) as HTMLInputElement;
  token.value = sessionStorage.getItem('parallax-token') ?? '';
  const status = h('p', { role: 'status', class: 'form-status' });
  const button = h('button', { type: 'submit' }, 'Add source') as HTMLButtonElement;
  const form = h(
    'form',
    { class: 'source-form', 'aria-label': 'add a source' },
    h('label', { for: 'source-url' }, 'Feed or site URL'),
    url,
    h('label', { for: 'source-interval' }, 'Poll every'),
    interval,
    h('label', { for: 'source-follow' }, 'Fetch the full page'),
    follow,
    h('label', { for: 'source-private' }, 'Intranet address'),
    h('span', null, priv, ' allow a loopback or private address (the server must run with --allow-private)'),
    h('label', { for: 'source-token' }, 'API token'),
    token,
    button,
    status,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem('parallax-token', token.value);
    button.disabled = true;
    status.textContent = `Reading ${url.value}…`;
    status.className = 'form-status';
    void postSource({ urls: [url.value.trim()], interval: interval.value, follow: follow.value, allowPrivate: priv.checked }, token.value)
      .then(({ status: code, body }) => {
        if ('error' in body) throw new ApiError(code, body.error.message);
        const r = body.results[0];
        if (!r) throw new ApiError(code, 'no result');
        if (!r.ok) throw new ApiError(code, r.error);
        status.textContent = r.created ? `Added source ${r.source.id}${r.source.title ? `: ${r.source.title}` : ''}.` : `Already followed (source ${r.source.id}).`;
        url.value = '';
        onAdded();
      })
      .catch((err: unknown) => {
        status.className = 'form-status error';
        status.textContent = err instanceof ApiError ? err.message : 'Could not add the source.';
      })
      .finally(() => (button.disabled = false));
  });
  return form;
}

export async function renderSources(root: HTMLElement): Promise<void> {
  const table = h('tbody');
  const summary = h('p', { class: 'muted' });
  const load = async (): Promise<void> => {
    const data = await getJson<SourceList>('/sources');
    const failing = data.items.filter((s) => s.consecutiveFailures > 0).length;
    summary.textContent = `${data.total} source${data.total === 1 ? '' : 's'}${failing > 0 ? `, ${failing} failing` : ''}. Polled by \`parallax watch\` or \`parallax serve --watch\`.`;
    table.replaceChildren(...data.items.flatMap(row));
    if (data.items.length === 0) table.append(h('tr', null, h('td', { colspan: 10 }, 'No sources yet: add a feed or a site below.')));
  };
  await load();
  root.append(
    h('h1', null, 'Sources'),
    summary,
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'feed-sources' },
        h('caption', null, 'Each source with its health and the articles stored from it per day over the last two weeks'),
        h('thead', null, h('tr', null, ...['Id', 'Source', 'Kind', 'Every', 'Last fetch', 'Status', 'Health', 'Articles', 'Per day', 'Next poll'].map((t) => h('th', { scope: 'col' }, t)))),
        table,
      ),
    ),
    h('h2', null, 'Add a source'),
    addForm(() => void load().catch(() => undefined)),
  );
}
