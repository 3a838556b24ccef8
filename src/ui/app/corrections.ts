import type { StoryWhy } from '../../contract/corrections.js';
import { ApiError, getJson } from './api.js';
import { h } from './dom.js';

async function post(path: string, token: string, body: unknown): Promise<{ story: string }> {
  const res = await fetch(`/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as { story?: string; error?: { message?: string } };
  if (!res.ok) throw new ApiError(res.status, json.error?.message ?? `${res.status} ${res.statusText}`);
  return { story: json.story ?? '' };
}

/**
 * The story page's "Why these articles" table (for each article: its nearest member, the
 * names, numbers and words they share, the date gap, the score against the join threshold,
 * analysts' corrections) and the correction form (merge, split, move; writes need the
 * server's token, kept for this tab only).
 */
export async function renderWhy(root: HTMLElement, story: string): Promise<void> {
  const why = await getJson<StoryWhy>(`/stories/${encodeURIComponent(story)}/why`);
  const list = (xs: readonly string[]): string => (xs.length > 0 ? xs.join(', ') : '—');
  const table = h(
    'table',
    { class: 'why' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ...['', 'Article', 'Nearest article', 'Shared names', 'Numbers', 'Ages', 'Words', 'Days apart', 'Score / threshold', 'Outlet boilerplate left out', 'Corrections'].map((t) =>
          h('th', { scope: 'col' }, t),
        ),
      ),
    ),
    h(
      'tbody',
      null,
      ...why.members.map((m) =>
        h(
          'tr',
          { 'data-article': m.article },
          h('td', null, h('input', { type: 'checkbox', class: 'pick', value: m.article, 'aria-label': `select ${m.title ?? m.article}` })),
          h('td', null, h('a', { href: `#/article/${m.article}` }, m.title ?? m.article)),
          h('td', null, m.nearest ? (m.nearest.title ?? m.nearest.article) : 'alone in its story'),
          h('td', { class: 'names' }, list(m.names)),
          h('td', null, list(m.numbers)),
          h('td', { class: 'ages' }, m.agesApart ? 'differ (counted down)' : list(m.ages.map(String))),
          h('td', null, list(m.words)),
          h('td', null, m.dayGap === null ? '—' : String(m.dayGap)),
          h('td', null, `${m.score.toFixed(3)} / ${m.threshold}`),
          h('td', { class: 'boilerplate' }, m.boilerplate.length > 0 ? m.boilerplate.join(' | ') : '—'),
          h('td', null, m.corrections.length > 0 ? m.corrections.map((c) => c.detail).join('; ') : '—'),
        ),
      ),
    ),
  );
  root.append(
    h(
      'section',
      { id: 'why', 'aria-labelledby': 'why-h', class: 'story-section' },
      h('h2', { id: 'why-h' }, 'Why these articles'),
      h('p', { class: 'muted' }, 'Each article with the article of this story it is most alike, and what the two share.'),
      h('div', { class: 'table-wrap' }, table),
    ),
  );

  const status = h('p', { role: 'status', id: 'correction-status' });
  const token = h('input', { type: 'password', id: 'correction-token', autocomplete: 'off', 'aria-label': 'write token' }) as HTMLInputElement;
  token.value = sessionStorage.getItem('parallax-token') ?? '';
  const target = h('input', { type: 'text', id: 'correction-target', placeholder: 's + 16 hex digits', 'aria-label': 'other story id', spellcheck: false }) as HTMLInputElement;
  const picked = (): string[] => [...table.querySelectorAll<HTMLInputElement>('input.pick:checked')].map((x) => x.value);
  const act = (label: string, run: () => Promise<{ story: string }>): HTMLElement =>
    h(
      'button',
      {
        type: 'button',
        onclick: () => {
          sessionStorage.setItem('parallax-token', token.value);
          status.textContent = `${label}…`;
          run().then(
            (r) => {
              status.textContent = `${label}: done`;
              location.hash = `#/story/${r.story}`;
            },
            (e: unknown) => {
              status.textContent = `${label} failed: ${e instanceof Error ? e.message : String(e)}`;
            },
          );
        },
      },
      label,
    );
  const need = (xs: string[], what: string): string[] => {
    if (xs.length === 0) throw new ApiError(400, `select ${what} first`);
    return xs;
  };
  root.append(
    h(
      'section',
      { id: 'correct', 'aria-labelledby': 'correct-h', class: 'story-section' },
      h('h2', { id: 'correct-h' }, 'Correct this story'),
      h(
        'form',
        { class: 'corrections', id: 'corrections', onsubmit: (e: Event) => e.preventDefault() },
        h('label', { for: 'correction-token' }, 'Write token '),
        token,
        h('label', { for: 'correction-target' }, ' Other story '),
        target,
        h(
          'div',
          null,
          act('Merge into other story', () => post(`/stories/${encodeURIComponent(story)}/merge`, token.value, { into: target.value.trim() })),
          act('Split selected into a new story', async () => post(`/stories/${encodeURIComponent(story)}/split`, token.value, { articles: need(picked(), 'articles') })),
          act('Move selected to other story', async () => {
            let last = { story: '' };
            for (const a of need(picked(), 'an article')) last = await post(`/articles/${encodeURIComponent(a)}/move`, token.value, { to: target.value.trim() });
            return last;
          }),
          act('Move selected to a new story', async () => {
            const xs = need(picked(), 'an article');
            // one article is moved; several are split off together
            return xs.length === 1
              ? post(`/articles/${encodeURIComponent(xs[0]!)}/move`, token.value, { to: null })
              : post(`/stories/${encodeURIComponent(story)}/split`, token.value, { articles: xs });
          }),
        ),
        status,
      ),
    ),
  );
}
