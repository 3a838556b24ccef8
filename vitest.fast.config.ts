import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:fast`: the in-process unit and component tests, for a quick loop while editing
 * (well under a minute on 2 cores). Left to the full suite (`npm test`): tests that spawn the CLI
 * or other Node processes, PostgreSQL and NATS, the browser, the built package (dist/), fuzzing
 * and hostile-input property runs, time-bound hardening checks, and the two heaviest in-process
 * suites (cluster.test.ts, dupes-lean.test.ts with worker threads). A new test file joins this
 * list by hand, when it is fast.
 */
const FAST = [
  'align',
  'analysis-once',
  'boilerplate-fast',
  'claims',
  'cli-browse',
  'cluster-time',
  'compare',
  'corrections',
  'dates',
  'dedup',
  'figures-trust',
  'identity',
  'ids',
  'ingest-fetch',
  'ingest-html-feed',
  'ingest-text',
  'labels',
  'outlets',
  'server',
  'sources-parse',
  'sources-sqlite',
  'text',
  'ui-format',
];

export default defineConfig({
  test: { ...base.test, include: FAST.map((name) => `test/${name}.test.ts`) },
});
