/**
 * The loopback news sites of bench/sources.ts, in their own process so that serving does not
 * share the poller's event loop: feed i lives on its own host (127.0.x.y), all on one port,
 * with 20 summary-only items whose links are pages of ECB+ texts. Feeds answer If-None-Match
 * with 304 unless conditional answers are switched off (GET /__conditional/off on any host).
 *
 *   node --import tsx bench/_feed-hosts.ts <feeds> <items> <ecb.jsonl>   (prints "port <n>")
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const feeds = Number(process.argv[2] ?? 500);
const items = Number(process.argv[3] ?? 20);
const texts = readFileSync(process.argv[4]!, 'utf8')
  .trim()
  .split('\n')
  .map((l) => (JSON.parse(l) as { text: string }).text.split('\n').filter((p) => p.trim() !== ''));
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
let conditional = true;

export function hostOf(i: number): string {
  return `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

function feedIndex(host: string): number {
  const m = /^127\.0\.(\d+)\.(\d+)$/.exec(host);
  return m ? (Number(m[1]) - 1) * 250 + Number(m[2]) - 1 : -1;
}

function handler(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  const i = feedIndex(host);
  const path = (req.url ?? '/').split('?')[0]!;
  if (path.startsWith('/__conditional/')) {
    conditional = path.endsWith('/on');
    res.end('ok');
    return;
  }
  if (i < 0 || i >= feeds) return void res.writeHead(404).end();
  const base = `http://${req.headers.host}`;
  if (path === '/feed.xml') {
    const etag = `"f${i}-v1"`;
    if (conditional && req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    const body = [`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench Outlet ${i}</title><link>${base}/</link><description>d</description>`];
    for (let k = 0; k < items; k++) {
      const t = texts[(i * items + k) % texts.length]!;
      body.push(
        `<item><title>${esc(t[0]!.slice(0, 100))}</title><link>${base}/a/${k}.html</link><guid>bench-${i}-${k}</guid><pubDate>${new Date(Date.UTC(2026, 10, 1, 0, k)).toUTCString()}</pubDate><description>${esc(t.slice(1).join(' ').split(/\s+/).slice(0, 25).join(' '))}…</description></item>`,
      );
    }
    body.push('</channel></rss>');
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(body.join('\n'));
    return;
  }
  const m = /^\/a\/(\d+)\.html$/.exec(path);
  if (m && Number(m[1]) < items) {
    const t = texts[(i * items + Number(m[1])) % texts.length]!;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
      `<!doctype html><html lang="en"><head><title>${esc(t[0]!)}</title><meta property="og:site_name" content="Bench Outlet ${i}"></head><body><nav><a href="/">Home</a></nav><article><h1>${esc(t[0]!)}</h1>${t
        .slice(1)
        .map((p) => `<p>${esc(p)}</p>`)
        .join('')}<p>Bulletin ${i}-${m[1]} of Bench Outlet ${i}.</p></article><footer>© Bench</footer></body></html>`,
    );
    return;
  }
  res.writeHead(404).end();
}

const servers: Server[] = [];
let port = 0;
for (let i = 0; i < feeds; i++) {
  const s = createServer(handler);
  s.keepAliveTimeout = 5000;
  await new Promise<void>((r) => s.listen(port, hostOf(i), r));
  port = (s.address() as AddressInfo).port;
  servers.push(s);
}
process.stdout.write(`port ${port}\n`);
process.on('SIGTERM', () => {
  for (const s of servers) s.close();
  process.exit(0);
});
