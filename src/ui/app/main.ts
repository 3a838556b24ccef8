import { ApiError } from './api.js';
import { renderArticle, renderArticles, renderSearch } from './articles.js';
import { clear, h } from './dom.js';
import { renderSources } from './sources.js';
import { renderStories, renderStory } from './stories.js';

/**
 * Hash routes: #/ stories, #/story/<id>, #/articles, #/article/<id>, #/search?q=, #/sources.
 * Each render builds the page from the API; errors are shown, never thrown away.
 */
async function route(): Promise<void> {
  const root = document.getElementById('main');
  if (!root) return;
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = hash.split('?');
  const params = new URLSearchParams(query);
  clear(root);
  root.setAttribute('aria-busy', 'true');
  for (const a of document.querySelectorAll('header nav a')) {
    a.setAttribute('aria-current', String(a.getAttribute('href') === `#${path}` || (path.startsWith('/story') && a.getAttribute('href') === '#/')));
  }
  try {
    let m: RegExpExecArray | null;
    if (path === '/' || path === '/stories') await renderStories(root, params);
    else if ((m = /^\/story\/([\w-]+)$/.exec(path))) await renderStory(root, m[1]!);
    else if (path === '/articles') await renderArticles(root, params);
    else if ((m = /^\/article\/([\w-]+)$/.exec(path))) await renderArticle(root, m[1]!);
    else if (path === '/search') await renderSearch(root, params);
    else if (path === '/sources') await renderSources(root);
    else root.append(h('h1', null, 'Not found'), h('p', null, 'No page here. ', h('a', { href: '#/' }, 'Back to stories')));
  } catch (e) {
    const msg = e instanceof ApiError ? `${e.message}` : 'Something went wrong loading this page.';
    root.append(h('div', { role: 'alert', class: 'error' }, msg));
  } finally {
    root.removeAttribute('aria-busy');
    document.title = `${root.querySelector('h1')?.textContent ?? 'Parallax'} · Parallax`;
    // move focus to the page heading for keyboard and screen-reader users
    const h1 = root.querySelector('h1');
    if (h1) {
      h1.setAttribute('tabindex', '-1');
      h1.focus({ preventScroll: true });
    }
  }
}

window.addEventListener('hashchange', () => void route());
void route();
