import { ApiError } from './api.js';
import { renderArticle, renderArticles, renderSearch } from './articles.js';
import { clear, h } from './dom.js';
import { timeZoneNote } from './format.js';
import { renderSources } from './sources.js';
import { renderStories, renderStory } from './stories.js';

/**
 * Hash routes, one table: a page is a pattern, the nav link it belongs to, and a render
 * function that fills a detached element from the API (so the page swaps in whole, and a
 * loading notice shows until then). A feature adds its page with one entry here.
 */
export interface Route {
  readonly pattern: RegExp;
  /** the header link to mark as current */
  readonly nav: string;
  readonly render: (root: HTMLElement, match: RegExpExecArray, params: URLSearchParams) => Promise<void>;
}

export const ROUTES: Route[] = [
  { pattern: /^\/(?:stories)?$/, nav: '#/', render: (root, _m, params) => renderStories(root, params) },
  { pattern: /^\/story\/([\w-]+)$/, nav: '#/', render: (root, m, params) => renderStory(root, m[1]!, params) },
  { pattern: /^\/articles$/, nav: '#/articles', render: (root, _m, params) => renderArticles(root, params) },
  { pattern: /^\/article\/([\w-]+)$/, nav: '#/articles', render: (root, m) => renderArticle(root, m[1]!) },
  { pattern: /^\/search$/, nav: '#/search', render: (root, _m, params) => renderSearch(root, params) },
  { pattern: /^\/sources$/, nav: '#/sources', render: (root) => renderSources(root) },
];

let generation = 0;
/** On a page opened afresh focus stays at the top (the skip link first); later pages focus their heading. */
let firstPage = true;

function notFound(root: HTMLElement): void {
  root.append(h('h1', null, 'Not found'), h('p', null, 'There is no page at this address. ', h('a', { href: '#/' }, 'Back to stories')));
}

/** The error state: what failed, and ways on (again, or back to the list). */
function errorState(root: HTMLElement, e: unknown): void {
  const missing = e instanceof ApiError && e.status === 404;
  const msg = e instanceof ApiError ? e.message : 'Something went wrong loading this page (the server may be unreachable).';
  root.append(
    h('h1', null, missing ? 'Not found' : 'Could not load this page'),
    h('div', { role: 'alert', class: 'error' }, msg),
    h(
      'p',
      { class: 'actions' },
      missing ? null : h('button', { type: 'button', onclick: () => void route() }, 'Try again'),
      ' ',
      h('a', { href: '#/' }, 'Back to stories'),
      history.length > 1 ? h('button', { type: 'button', class: 'link', onclick: () => history.back() }, 'Go back') : null,
    ),
  );
}

async function route(): Promise<void> {
  const root = document.getElementById('main');
  if (!root) return;
  const hash = location.hash.replace(/^#/, '');
  // an in-page anchor (the skip link) is not a page
  if (hash !== '' && !hash.startsWith('/')) return;
  const [path = '/', query = ''] = (hash || '/').split('?');
  const params = new URLSearchParams(query);
  const mine = ++generation;
  const found = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m !== null);
  for (const a of document.querySelectorAll('header nav a')) a.setAttribute('aria-current', String(a.getAttribute('href') === (found?.r.nav ?? '')));
  root.setAttribute('aria-busy', 'true');
  // the notice shows only if loading takes a moment: a fast page does not flash it
  const loading = setTimeout(() => {
    if (mine !== generation) return;
    clear(root);
    root.append(h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Loading…'));
  }, 120);
  const view = h('div', { class: 'view' });
  try {
    if (found) await found.r.render(view, found.m!, params);
    else notFound(view);
  } catch (e) {
    clear(view);
    errorState(view, e);
  } finally {
    clearTimeout(loading);
  }
  if (mine !== generation) return; // a newer page was asked for meanwhile
  clear(root);
  root.append(...view.childNodes);
  root.removeAttribute('aria-busy');
  document.title = `${root.querySelector('h1')?.textContent ?? 'Parallax'} · Parallax`;
  // focus the page heading, so keyboard and screen-reader users start at the new page
  const h1 = root.querySelector('h1');
  const first = firstPage;
  firstPage = false;
  if (h1 && !first) {
    h1.setAttribute('tabindex', '-1');
    h1.focus({ preventScroll: true });
  }
}

document.querySelector('a.skip')?.addEventListener('click', (e) => {
  e.preventDefault();
  document.getElementById('main')?.focus();
});
const tz = document.getElementById('tz-note');
if (tz) tz.textContent = timeZoneNote();
window.addEventListener('hashchange', () => void route());
void route();
