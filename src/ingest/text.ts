import type { Field } from '../domain/article.js';
import { type Draft, emptyDraft, toIsoDate } from './draft.js';

/**
 * Plain-text articles. A metadata header is recognised and removed from the text:
 * - an inline header that opens the first line: ` date 2024-02-23 (MENAFN- Gulf Times) Gaza truce...`
 *   (date, then `(SYNDICATOR- Outlet)`), or the bracket alone;
 * - a block of `Key: value` lines (title, date, published, url, source, outlet, author) ended
 *   by a blank line.
 */
const DATE_ONLY_HEADER = /^\s*date\s*(?::\s*)?(\d{4}-\d{2}-\d{2})\s+/i;
// The inline header is read by hand, one piece at a time: as one regular expression its
// optional parts put runs of `\s*` next to each other, and a backtracking engine splits a long
// run of white space between them in every way (80 KB of spaces took 11 s). Each piece below
// starts where the previous one ended and none can match white space the next one also could.
const HEADER_DATE = /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?/y;
const HEADER_SYNDICATOR = /[A-Z][A-Za-z.]{1,30}(?![A-Za-z.])/y;
const MAX_OUTLET = 80;

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

function at(re: RegExp, text: string, i: number): string | null {
  re.lastIndex = i;
  return re.exec(text)?.[0] ?? null;
}

/**
 * ` date 2024-02-23 (MENAFN- Gulf Times) `: [whole match, date or undefined, syndicator,
 * outlet], like a RegExpExecArray of the pattern written out in the comment above readText.
 */
function inlineHeader(text: string): [string, string | undefined, string, string] | null {
  let i = skipSpace(text, 0);
  if (text.startsWith('date', i)) {
    i = skipSpace(text, i + 4);
    if (text[i] === ':') i = skipSpace(text, i + 1);
  }
  const date = at(HEADER_DATE, text, i) ?? undefined;
  if (date !== undefined) i = skipSpace(text, i + date.length);
  if (text[i] !== '(') return null;
  i = skipSpace(text, i + 1);
  const syndicator = at(HEADER_SYNDICATOR, text, i);
  if (syndicator === null) return null;
  i = skipSpace(text, i + syndicator.length);
  if (text[i] !== '-') return null;
  i = skipSpace(text, i + 1);
  const start = i;
  while (i < text.length && i - start <= MAX_OUTLET && text[i] !== ')' && text[i] !== '\n') i++;
  const outlet = text.slice(start, i).trimEnd();
  i = skipSpace(text, i);
  if (text[i] !== ')' || outlet.length < 2 || outlet.length > MAX_OUTLET) return null;
  i = skipSpace(text, i + 1);
  return [text.slice(0, i), date, syndicator, outlet];
}
const KEY_LINE = /^(title|headline|date|published|url|link|source|outlet|publisher|author|byline)\s*:\s*(.+)$/i;

export function readText(raw: string, opts: { source: string; fetchedAt: string }): Draft {
  let text = raw.replace(/^\uFEFF/, '');
  let title: Field<string> | null = null;
  let published: Field<string> | null = null;
  let outlet: Field<string> | null = null;
  let syndicator: Field<string> | null = null;
  let byline: Field<string> | null = null;
  let url: string | null = null;

  const inline = inlineHeader(text);
  if (inline && (inline[1] || /^\s*\(/.test(text))) {
    const detail = inline[0].trim();
    const ev = { source: 'header', detail } as const;
    const date = inline[1] ? toIsoDate(inline[1]) : null;
    if (date) published = { value: date, evidence: ev };
    syndicator = { value: inline[2], evidence: ev };
    outlet = { value: inline[3].trim(), evidence: ev };
    text = text.slice(inline[0].length);
  } else {
    const dateOnly = DATE_ONLY_HEADER.exec(text);
    const date = dateOnly?.[1] ? toIsoDate(dateOnly[1]) : null;
    if (dateOnly && date) {
      published = { value: date, evidence: { source: 'header', detail: dateOnly[0].trim() } };
      text = text.slice(dateOnly[0].length);
    } else {
      const lines = text.split('\n');
      let i = 0;
      const found: Array<[string, string, string]> = [];
      while (i < lines.length && i < 12) {
        const m = KEY_LINE.exec(lines[i]!.trim());
        if (!m) break;
        found.push([m[1]!.toLowerCase(), m[2]!.trim(), lines[i]!.trim()]);
        i++;
      }
      // a header block needs at least one key line and a blank line after it
      if (found.length > 0 && (lines[i] ?? '').trim() === '') {
        for (const [key, value, line] of found) {
          const ev = { source: 'header', detail: line } as const;
          if (key === 'title' || key === 'headline') title = { value, evidence: ev };
          else if (key === 'date' || key === 'published') {
            const iso = toIsoDate(value);
            if (iso) published = { value: iso, evidence: ev };
          } else if (key === 'url' || key === 'link') url = /^https?:\/\//i.test(value) ? value : url;
          else if (key === 'source' || key === 'outlet' || key === 'publisher') outlet = { value, evidence: ev };
          else byline = { value, evidence: ev };
        }
        text = lines.slice(i + 1).join('\n');
      }
    }
  }
  return { ...emptyDraft(opts.source, text, opts.fetchedAt), url, title, published, outlet, syndicator, byline };
}
