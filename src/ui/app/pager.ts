import { h } from './dom.js';

/**
 * A pager as links (each page has its own address, so a view can be shared or bookmarked):
 * first, previous, where we are, next, last.
 */
export function pager(o: { offset: number; limit: number; total: number; shown: number; href: (offset: number) => string; noun: string }): HTMLElement {
  const page = Math.floor(o.offset / o.limit) + 1;
  const pages = Math.max(1, Math.ceil(o.total / o.limit));
  const last = (pages - 1) * o.limit;
  const link = (offset: number, label: string, rel: string, enabled: boolean): HTMLElement =>
    enabled ? h('a', { href: o.href(offset), rel, class: 'page-link' }, label) : h('span', { class: 'page-link', 'aria-disabled': 'true' }, label);
  const from = o.shown > 0 ? o.offset + 1 : 0;
  return h(
    'nav',
    { class: 'pager', 'aria-label': `pages of ${o.noun}` },
    link(0, '« First', 'first', o.offset > 0),
    link(Math.max(0, o.offset - o.limit), '‹ Previous', 'prev', o.offset > 0),
    h('span', { class: 'page-info', 'aria-live': 'polite' }, `${from}–${o.offset + o.shown} of ${o.total} ${o.noun} · page ${page} of ${pages}`),
    link(o.offset + o.limit, 'Next ›', 'next', o.offset + o.limit < o.total),
    link(last, 'Last »', 'last', o.offset < last),
  );
}
