import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXAMPLES } from './paths.js';

/**
 * A loopback news site for the source tests: real article texts (the ECB+ sample shipped in
 * examples/) on pages with navigation and comments around them, and feeds of every format
 * that link to those pages, plus the ways a real server misbehaves. It records every request
 * (path and the conditional headers) and how many requests one host had in flight at once.
 */
export interface ArticleFixture {
  readonly n: number;
  readonly title: string;
  readonly text: string;
  readonly published: string;
}

export function fixtureArticles(): ArticleFixture[] {
  const lines = readFileSync(`${EXAMPLES}/ecbplus-sample.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  return lines.map((l, i) => {
    const rec = JSON.parse(l) as { text: string };
    const paras = rec.text
      .split('\n')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    return { n: i + 1, title: paras[0]!.slice(0, 120), text: paras.slice(1).join('\n\n'), published: new Date(Date.UTC(2026, 10, 1 + i, 8, 30)).toUTCString() };
  });
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** The first words of a text: what a summary-only feed carries. */
export const teaser = (text: string, words = 25): string => `${text.split(/\s+/).slice(0, words).join(' ')}…`;

export function articlePage(a: ArticleFixture, outlet: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(a.title)} | ${esc(outlet)}</title>
<meta property="og:site_name" content="${esc(outlet)}"><meta property="og:title" content="${esc(a.title)}">
<meta property="article:published_time" content="${new Date(a.published).toISOString()}"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<div class="ad">Advertisement: subscribe today and save 50%</div>
<article><h1>${esc(a.title)}</h1><p class="byline">By Staff Reporter</p>
${a.text
  .split('\n\n')
  .map((p) => `<p>${esc(p)}</p>`)
  .join('\n')}
</article><section id="comments"><p>First! Great article, thanks for sharing this with us.</p></section>
<footer>© ${esc(outlet)} 2026. All rights reserved.</footer></body></html>`;
}

export function rss2(base: string, items: ArticleFixture[], opts: { title: string; summaries: boolean; linkPrefix?: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>${esc(opts.title)}</title><link>${base}/</link><description>Latest news</description><language>en</language>
${items
  .map(
    (a) => `<item><title>${esc(a.title)}</title><link>${base}${opts.linkPrefix ?? '/articles/'}${a.n}.html</link><guid isPermaLink="false">rss-${a.n}</guid>
<pubDate>${a.published}</pubDate><dc:creator>Staff Reporter</dc:creator>
<description>${esc(opts.summaries ? teaser(a.text) : a.text)}</description>${
      opts.summaries
        ? ''
        : `<content:encoded><![CDATA[${a.text
            .split('\n\n')
            .map((p) => `<p>${esc(p)}</p>`)
            .join('')}]]></content:encoded>`
    }</item>`,
  )
  .join('\n')}
</channel></rss>`;
}

export function atom(base: string, items: ArticleFixture[], title: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>${esc(title)}</title><id>${base}/atom</id><updated>2026-11-20T10:00:00Z</updated>
${items
  .map(
    (a) => `<entry><title>${esc(a.title)}</title><id>urn:atom:${a.n}</id><link rel="alternate" href="${base}/atom-articles/${a.n}.html"/>
<published>${new Date(a.published).toISOString()}</published><updated>${new Date(a.published).toISOString()}</updated><author><name>Desk</name></author>
<content type="html">${esc(
      a.text
        .split('\n\n')
        .map((p) => `<p>${p}</p>`)
        .join(''),
    )}</content></entry>`,
  )
  .join('\n')}
</feed>`;
}

export function rdf(base: string, items: ArticleFixture[], title: string): string {
  return `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="${base}/"><title>${esc(title)}</title><link>${base}/</link><description>news</description></channel>
${items.map((a) => `<item rdf:about="${base}/rdf-articles/${a.n}.html"><title>${esc(a.title)}</title><link>${base}/rdf-articles/${a.n}.html</link><description>${esc(teaser(a.text))}</description><dc:date>${new Date(a.published).toISOString()}</dc:date></item>`).join('\n')}
</rdf:RDF>`;
}

export function jsonFeed(base: string, items: ArticleFixture[], title: string): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title,
    home_page_url: `${base}/`,
    items: items.map((a) => ({
      id: `json-${a.n}`,
      url: `${base}/json-articles/${a.n}.html`,
      title: a.title,
      summary: teaser(a.text, 20),
      date_published: new Date(a.published).toISOString(),
      authors: [{ name: 'Wire Desk' }],
    })),
  });
}

export interface RecordedRequest {
  readonly path: string;
  readonly host: string;
  readonly ifNoneMatch: string | null;
  readonly ifModifiedSince: string | null;
  readonly at: number;
  readonly end?: number;
}

export interface FeedServer {
  readonly base: string;
  readonly requests: RecordedRequest[];
  /** the most requests one host name had in flight at once */
  readonly maxInFlightPerHost: () => number;
  readonly close: () => Promise<void>;
  /** route overrides added by a test */
  readonly routes: Map<string, (req: IncomingMessage, res: ServerResponse) => void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export async function startFeedServer(routes: Map<string, Handler>, host = '127.0.0.1'): Promise<FeedServer> {
  const requests: RecordedRequest[] = [];
  const inFlight = new Map<string, number>();
  let maxInFlight = 0;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const h = (req.headers.host ?? '').replace(/:\d+$/, '');
    const rec: { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] } = {
      path,
      host: h,
      ifNoneMatch: req.headers['if-none-match'] ?? null,
      ifModifiedSince: req.headers['if-modified-since'] ?? null,
      at: performance.now(),
    };
    requests.push(rec);
    const n = (inFlight.get(h) ?? 0) + 1;
    inFlight.set(h, n);
    maxInFlight = Math.max(maxInFlight, n);
    const done = (): void => {
      rec.end = performance.now();
      inFlight.set(h, (inFlight.get(h) ?? 1) - 1);
    };
    res.on('close', done);
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    route(req, res);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://${host}:${port}`,
    requests,
    routes,
    maxInFlightPerHost: () => maxInFlight,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A document with validators: 304 when the request's If-None-Match or If-Modified-Since matches. */
export function conditional(body: () => string, type: string, etag: string | null, lastModified: string | null, extra: Record<string, string> = {}): Handler {
  return (req, res) => {
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if ((etag && inm === etag) || (!etag && lastModified && ims === lastModified)) {
      res.writeHead(304, { ...(etag ? { etag } : {}), ...extra }).end();
      return;
    }
    res.writeHead(200, { 'content-type': type, ...(etag ? { etag } : {}), ...(lastModified ? { 'last-modified': lastModified } : {}), ...extra }).end(body());
  };
}
