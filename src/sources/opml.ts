import type * as XmlParserModule from 'fast-xml-parser';
import { lazyRequire } from '../util/lazy.js';
import { createError } from '../errors.js';
import type { Source } from './types.js';

const xmlParser = lazyRequire<typeof XmlParserModule>('fast-xml-parser');

/**
 * OPML 1.0/2.0 subscription lists, the format every feed reader imports and exports:
 * `<outline type="rss" xmlUrl="..." title="..." htmlUrl="..."/>`, nested in folders.
 */
export interface OpmlEntry {
  readonly xmlUrl: string;
  readonly title: string | null;
  readonly htmlUrl: string | null;
}

type Node = Record<string, unknown>;

function asArray(v: unknown): Node[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is Node => typeof x === 'object' && x !== null);
}

export function parseOpml(xml: string, file: string): OpmlEntry[] {
  const body = xml.replace(/^\uFEFF/, '');
  const valid = xmlParser().XMLValidator.validate(body);
  if (valid !== true) {
    throw createError('INVALID_FIELD', `sources import: ${file}:${valid.err.line}:${valid.err.col}: malformed OPML: ${valid.err.msg}`, { subject: `${file}:${valid.err.line}` });
  }
  const doc = new (xmlParser().XMLParser)({ ignoreAttributes: false, attributeNamePrefix: '@', processEntities: true }).parse(body) as Node;
  const opml = doc['opml'] as Node | undefined;
  const bodyNode = opml?.['body'] as Node | undefined;
  if (!opml || !bodyNode) throw createError('INVALID_FIELD', `sources import: ${file}: not OPML: expected an <opml> root with a <body>`, { subject: file });
  const out: OpmlEntry[] = [];
  const walk = (nodes: Node[]): void => {
    for (const n of nodes) {
      const url = n['@xmlUrl'] ?? n['@xmlurl'];
      if (typeof url === 'string' && url.trim() !== '') {
        const title = n['@title'] ?? n['@text'];
        const html = n['@htmlUrl'] ?? n['@htmlurl'];
        out.push({ xmlUrl: url.trim(), title: typeof title === 'string' && title.trim() ? title.trim() : null, htmlUrl: typeof html === 'string' && html.trim() ? html.trim() : null });
      }
      walk(asArray(n['outline']));
    }
  };
  walk(asArray(bodyNode['outline']));
  return out;
}

function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export function toOpml(sources: readonly Source[], now: string): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    '    <title>Parallax sources</title>',
    `    <dateCreated>${new Date(now).toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
  ];
  for (const s of sources) {
    const title = esc(s.title ?? s.url);
    lines.push(`    <outline type="rss" text="${title}" title="${title}" xmlUrl="${esc(s.url)}"${s.siteUrl ? ` htmlUrl="${esc(s.siteUrl)}"` : ''}/>`);
  }
  lines.push('  </body>', '</opml>', '');
  return lines.join('\n');
}
