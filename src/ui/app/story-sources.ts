import { h } from './dom.js';
import { timeEl } from './format.js';

export interface SourceArticle {
  readonly id: string;
  readonly title: string | null;
  readonly outlet: string | null;
  readonly published: string | null;
  readonly label?: string;
}

export interface ReuseLink {
  readonly a: string;
  readonly b: string;
  readonly class: string;
  readonly original: string | null;
  readonly reason?: string | null;
}

export type Role = { kind: 'original' | 'copy' | 'rewrite' | 'shared' | 'own'; of?: string };

/**
 * What each article is in the story's reprint graph: a copy or a rewrite of a known
 * original, an original others copied, text shared with another whose original is unknown,
 * or its own report. A copy is a copy even if others copied it in turn.
 */
export function rolesOf(ids: readonly string[], links: readonly ReuseLink[]): Map<string, Role> {
  const rank = { copy: 4, rewrite: 3, original: 2, shared: 1, own: 0 } as const;
  const roles = new Map<string, Role>(ids.map((id) => [id, { kind: 'own' }]));
  const set = (id: string, role: Role): void => {
    const cur = roles.get(id);
    if (cur && rank[role.kind] > rank[cur.kind]) roles.set(id, role);
  };
  for (const l of links) {
    if (l.original === null) {
      set(l.a, { kind: 'shared', of: l.b });
      set(l.b, { kind: 'shared', of: l.a });
      continue;
    }
    const copy = l.original === l.a ? l.b : l.a;
    set(copy, { kind: l.class === 'partial-reuse' ? 'rewrite' : 'copy', of: l.original });
    set(l.original, { kind: 'original' });
  }
  return roles;
}

export function roleText(role: Role, name: (id: string) => string): string {
  switch (role.kind) {
    case 'copy':
      return `copy of ${name(role.of!)}`;
    case 'rewrite':
      return `rewrite of ${name(role.of!)}`;
    case 'original':
      return 'original (copied by others)';
    case 'shared':
      return `shares text with ${name(role.of!)}; original unknown`;
    default:
      return 'own report';
  }
}

/**
 * The sources shown side by side when the address names none: up to two, in story order,
 * leaving out copies of a source already chosen (a copy adds nothing to read).
 */
export function defaultColumns(articles: readonly SourceArticle[], roles: Map<string, Role>, max = 2): string[] {
  const chosen: string[] = [];
  for (const a of articles) {
    const r = roles.get(a.id);
    if (r?.kind === 'copy' && r.of && chosen.includes(r.of)) continue;
    chosen.push(a.id);
    if (chosen.length === max) break;
  }
  return chosen;
}

export const MAX_COLUMNS = 4;

/**
 * The source table: one row per article with outlet, date, headline and role, and a checkbox
 * to put it side by side (two to four at a time; at four the others wait).
 */
export function sourceTable(o: {
  articles: readonly SourceArticle[];
  roles: Map<string, Role>;
  name: (id: string) => string;
  tag: (id: string) => HTMLElement;
  chosen: readonly string[];
  onChange: (chosen: string[]) => void;
}): HTMLElement {
  const boxes: HTMLInputElement[] = [];
  const sync = (): void => {
    const n = boxes.filter((b) => b.checked).length;
    for (const b of boxes) b.disabled = !b.checked && n >= MAX_COLUMNS;
  };
  const rows = o.articles.map((a) => {
    const box = h('input', { type: 'checkbox', 'data-article': a.id, 'aria-label': `compare ${o.name(a.id)}`, checked: o.chosen.includes(a.id) }) as HTMLInputElement;
    box.addEventListener('change', () => {
      sync();
      o.onChange(boxes.filter((b) => b.checked).map((b) => b.dataset['article']!));
    });
    boxes.push(box);
    const role = o.roles.get(a.id) ?? { kind: 'own' };
    return h(
      'tr',
      { 'data-article': a.id },
      h('td', { class: 'pick' }, box),
      h('td', null, o.tag(a.id)),
      h('td', { class: 'nowrap' }, timeEl(a.published)),
      h('td', null, h('a', { href: `#/article/${a.id}` }, a.title ?? '(untitled)')),
      h('td', { class: `role role-${role.kind}` }, roleText(role, o.name)),
    );
  });
  sync();
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'sources', id: 'source-table' },
      h('caption', { class: 'muted' }, `Tick two to four sources to read them side by side (${o.articles.length} in this story).`),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, 'Compare'),
          h('th', { scope: 'col' }, 'Outlet'),
          h('th', { scope: 'col' }, 'Published'),
          h('th', { scope: 'col' }, 'Headline'),
          h('th', { scope: 'col' }, 'Role'),
        ),
      ),
      h('tbody', null, ...rows),
    ),
  );
}
