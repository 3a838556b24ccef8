import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';

/**
 * Serves the web UI: one HTML page, one stylesheet and the compiled ES modules, all from
 * this process (no CDN). Files are looked up by name against a fixed pattern, never by
 * joining request paths, so there is no path traversal to get wrong.
 */
function uiDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  // dist/server -> dist/ui; when running from src/ with tsx, use the build in dist/
  for (const dir of [resolve(here, '../ui'), resolve(here, '../../dist/ui')]) {
    if (existsSync(join(dir, 'app/main.js')) && existsSync(join(dir, 'static/index.html'))) return dir;
  }
  return null;
}

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', html: 'text/html; charset=utf-8' };

export function mountUi(app: Hono): void {
  const dir = uiDir();
  const cache = new Map<string, string>();
  const read = (file: string): string | null => {
    if (!dir) return null;
    let body = cache.get(file);
    if (body === undefined) {
      const p = join(dir, file);
      if (!existsSync(p)) return null;
      body = readFileSync(p, 'utf8');
      cache.set(file, body);
    }
    return body;
  };
  const send = (file: string, ext: string) => (c: import('hono').Context) => {
    const body = read(file);
    if (body === null) return c.text('the web UI is not built: run `npm run build`', 404);
    c.header('Content-Type', TYPES[ext] ?? 'application/octet-stream');
    c.header('Cache-Control', ext === 'html' ? 'no-cache' : 'public, max-age=300');
    return c.body(body);
  };
  app.get('/', send('static/index.html', 'html'));
  app.get('/assets/style.css', send('static/style.css', 'css'));
  app.get('/assets/app/:file', (c) => {
    const file = c.req.param('file');
    if (!/^[a-z][\w-]*\.js$/.test(file)) return c.text('not found', 404);
    return send(`app/${file}`, 'js')(c);
  });
}
