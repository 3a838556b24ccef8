import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/**
 * A dependency loaded the first time it is used, not when Parallax starts. jsdom, Readability,
 * the feed and XML parsers, chrono and the address parser together took most of a second to load,
 * and every command paid it, `--help` included (docs/DESIGN.md, "Start-up"). They are CommonJS
 * packages called from synchronous code (`buildArticle`, `detectLanguage`), where a dynamic
 * `import()` cannot go, so they are `require`d on first use; async code uses `import()`.
 */
export function lazyRequire<T>(specifier: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= load(specifier) as T);
}
