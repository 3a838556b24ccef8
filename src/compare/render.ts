import type { Comparison } from '../contract/comparison.js';

/** The subset of picocolors a report uses; colourless when the output is not a terminal. */
export interface Colours {
  bold(s: string): string;
  dim(s: string): string;
  cyan(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  magenta(s: string): string;
}

const plain: Colours = { bold: (s) => s, dim: (s) => s, cyan: (s) => s, green: (s) => s, yellow: (s) => s, red: (s) => s, magenta: (s) => s };

export interface RenderOptions {
  readonly colours?: Colours;
  /** most omitted facts listed per source */
  readonly maxOmitted?: number;
}

/** Source tags A, B, ... Z, AA, AB, ... */
function tagOf(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

function formatValue(v: number | string): string {
  return typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 3 }) : v;
}

/** A readable text report of a comparison: brief, shared facts, what each source adds and omits, quotes, figures, conflicts. */
export function renderComparison(c: Comparison, options: RenderOptions = {}): string {
  const k = options.colours ?? plain;
  const maxOmitted = options.maxOmitted ?? 5;
  const tag = new Map<string, string>();
  c.articles.forEach((a, i) => tag.set(a.id, tagOf(i)));
  const text = new Map<string, string>();
  for (const s of c.sentences) text.set(`${s.article}:${s.index}`, s.text);
  const sentence = (article: string, index: number): string => text.get(`${article}:${index}`) ?? '';
  const ref = (article: string, index: number): string => k.dim(`${tag.get(article)}${index}`);
  const tags = (articles: readonly string[]): string => k.cyan(`[${[...new Set(articles)].map((a) => tag.get(a)).join(' ')}]`);
  const lines: string[] = [];
  const heading = (s: string): void => {
    lines.push('', k.bold(s));
  };

  lines.push(k.bold(`Comparison of ${c.articles.length} article${c.articles.length === 1 ? '' : 's'}`));
  for (const a of c.articles) {
    const bits = [a.published ? a.published.slice(0, 10) : null, a.credits.length > 0 ? `credits ${a.credits.join(', ')}` : null, a.source].filter(Boolean);
    lines.push(`  ${k.cyan(`[${tag.get(a.id)}]`)} ${k.bold(a.label)}${a.title && a.title !== a.label ? ` - ${a.title}` : ''}  ${k.dim(bits.join('  '))}`);
  }
  for (const w of c.warnings) lines.push(`  ${k.yellow('note:')} ${w}`);

  heading('Brief');
  if (c.brief.length === 0) lines.push(k.dim('  (no text)'));
  for (const b of c.brief) lines.push(`  - ${b.text} ${tags(b.sources)}`);

  heading(`Shared facts (${c.facts.length})`);
  if (c.facts.length === 0) lines.push(k.dim('  none: no sentence of one source is reported by another'));
  for (const f of c.facts) {
    lines.push(`  ${tags(f.sentences.map((s) => s.article))} ${k.dim(`${f.relation}, ${f.articles} source${f.articles === 1 ? '' : 's'}`)}`);
    for (const s of f.sentences) lines.push(`     ${ref(s.article, s.index)}  ${sentence(s.article, s.index)}`);
  }

  heading('What each source adds and omits');
  for (const a of c.articles) {
    const own = c.unique[a.id] ?? [];
    const omitted = c.facts.filter((f) => !f.sentences.some((s) => s.article === a.id));
    lines.push(`  ${k.cyan(`[${tag.get(a.id)}]`)} ${k.bold(a.label)}: ${k.green(`adds ${own.length}`)}, ${k.magenta(`omits ${omitted.length}`)}`);
    for (const i of own) lines.push(`     ${k.green('+')} ${ref(a.id, i)}  ${sentence(a.id, i)}`);
    for (const f of omitted.slice(0, maxOmitted)) {
      const s = f.sentences[0]!;
      lines.push(`     ${k.magenta('-')} ${ref(s.article, s.index)}  ${sentence(s.article, s.index)}`);
    }
    if (omitted.length > maxOmitted) lines.push(k.dim(`       ... and ${omitted.length - maxOmitted} more`));
  }

  heading(`Quotes (${c.quotes.length})`);
  if (c.quotes.length === 0) lines.push(k.dim('  none'));
  for (const q of c.quotes) {
    const where = q.occurrences.map((o) => `${tag.get(o.article)}${o.index}${o.marked ? '' : ' (no quote marks)'}`).join(', ');
    lines.push(`  ${k.yellow(`"${q.text}"`)}`);
    lines.push(`     ${k.dim('-')} ${q.speaker ?? k.dim('speaker not named')}  ${k.dim(where)}`);
  }

  heading(`Figures (${c.figures.length})`);
  if (c.figures.length === 0) lines.push(k.dim('  none'));
  for (const f of c.figures) {
    const value = `${f.qualifier ? `${f.qualifier} ` : ''}${f.kind === 'money' ? `${f.unit ?? ''} ` : ''}${formatValue(f.value)}${f.kind === 'percent' ? '%' : ''}`;
    lines.push(`  ${k.bold(value)} ${f.measure}  ${f.attribution ? `according to ${f.attribution}` : k.dim('no attribution')}  ${ref(f.article, f.index)}`);
  }

  heading(`Conflicts (${c.conflicts.length})`);
  if (c.conflicts.length === 0) lines.push(k.dim('  none: no measure is given different values'));
  for (const x of c.conflicts) {
    lines.push(
      `  ${k.red(x.measure)}: ${x.values.map((v) => `${v.qualifier ? `${v.qualifier} ` : ''}${formatValue(v.value)} ${k.dim(`(${tag.get(v.article)}${v.index}${v.attribution ? `, ${v.attribution}` : ''})`)}`).join(k.red(' vs '))}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
