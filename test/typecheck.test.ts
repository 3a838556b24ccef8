import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const tsc = (args: string[]): string => {
  try {
    return execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    // tsc exits 2 on type errors; what it printed is the answer
    const out = (e as { stdout?: unknown }).stdout;
    return typeof out === 'string' ? out : '';
  }
};

describe('tsconfigs for Node and browser code', () => {
  it('the Node program loads no DOM library (src/ingest/dom.ts declares what jsdom and Readability give)', () => {
    const files = tsc(['-p', 'tsconfig.json', '--listFilesOnly']).split('\n');
    expect(files.some((f) => f.endsWith('src/ingest/html.ts'))).toBe(true);
    expect(files.some((f) => f.endsWith('test/types/no-dom.ts'))).toBe(true);
    expect(files.filter((f) => /lib\.dom|@types\/jsdom/.test(f))).toEqual([]);
  }, 120_000);

  it("`document` and `window` in a Node module fail the Node typecheck; with the browser tests' options they pass", () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallax-typecheck-'));
    try {
      const file = join(dir, 'server-module.ts');
      writeFileSync(file, 'export const title: string = document.title;\nexport const width: number = window.innerWidth;\n');
      // a one-file project with the options of each of the repository's tsconfigs
      const check = (base: string): string => {
        const config = join(dir, `tsconfig.${base}`);
        writeFileSync(
          config,
          JSON.stringify({ extends: join(process.cwd(), base), compilerOptions: { rootDir: dir, typeRoots: [join(process.cwd(), 'node_modules/@types')] }, files: [file], include: [] }),
        );
        return tsc(['-p', config, '--noEmit']);
      };
      const node = check('tsconfig.json');
      expect(node).toMatch(/Cannot find name 'document'/);
      expect(node).toMatch(/Cannot find name 'window'/);
      expect(check('tsconfig.browser-tests.json')).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
