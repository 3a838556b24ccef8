// Lint rules for `npm run lint` (part of `npm test`). Import layers and cycles are checked by
// dependency-cruiser (.dependency-cruiser.cjs), which sees type-only imports too.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * Browser globals that Node code must not reach for. The Node program (tsconfig.json) has no DOM
 * library, so tsc refuses them too (test/types/no-dom.ts); this names the reason.
 */
const BROWSER_GLOBALS = ['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'history', 'customElements', 'getComputedStyle', 'requestAnimationFrame'].map((name) => ({
  name,
  message: 'Browser global outside src/ui/app: Node code has no DOM (take the window of a jsdom instance).',
}));

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'bench/out/', 'scratch/', 'test/fixtures/', 'examples/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // each file is checked with the nearest tsconfig.json: src/ui/app has its own (DOM, no Node types)
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // tsc reports undefined names, with the right globals for each tsconfig
      'no-undef': 'off',
      // text cleaners and tests match control characters on purpose
      'no-control-regex': 'off',
      // async functions without await implement async interfaces (Store, sources) in memory
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // `import('x').T` in a type position is how a lazily loaded module's types are named
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // a caught value passed on (catch (e) { reject(e) }) is rethrown as it came, whatever it is
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    // the browser tests and the screenshot script see the DOM library (their callbacks run in the
    // page), so they are not in tsconfig.json but in a project of their own
    files: ['test/*.e2e.test.ts', 'test/ui-format.test.ts', 'scripts/screenshots.ts'],
    languageOptions: { parserOptions: { projectService: false, project: './tsconfig.browser-tests.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['**/*.ts'],
    // playwright runs the callbacks of the end-to-end tests and of the screenshot script in the browser
    ignores: ['src/ui/app/**', 'test/*.e2e.test.ts', 'scripts/screenshots.ts'],
    rules: { 'no-restricted-globals': ['error', ...BROWSER_GLOBALS] },
  },
  {
    // Tests read JSON answers and rows as `any` and check them with expect(); shipped code parses instead.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', module: 'writable', require: 'readonly' },
    },
  },
);
