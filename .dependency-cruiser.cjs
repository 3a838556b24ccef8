// Import rules of the code base, checked by `npm run lint:deps` (part of `npm run lint` and
// `npm test`): the layers of src/ and no import cycles anywhere. Type-only
// imports count (tsPreCompilationDeps): a cycle through types still ties the modules together,
// and a lower layer that names a higher layer's types depends on it.
//
// dependency-cruiser rather than eslint's import/no-cycle: that rule skips `import type`, and
// it walks the graph again from every file, which is slow without a depth limit; here the
// whole graph is built once.

/** Lower layers never import higher ones. Folders within one layer may import each other, without cycles. */
const LAYERS = [
  { name: 'shared types, helpers and the error catalogue', paths: ['src/util/', 'src/errors.ts', 'src/domain/'] },
  { name: 'text analysis and the API contract', paths: ['src/text/', 'src/contract/'] },
  { name: 'pure algorithms', paths: ['src/dedup/', 'src/cluster/', 'src/align/', 'src/claims/', 'src/eval/'] },
  { name: 'comparison (composes align and claims)', paths: ['src/compare/'] },
  { name: 'ingest (reading, decoding, extraction, fetching)', paths: ['src/ingest/'] },
  { name: 'the store and its per-stage repositories', paths: ['src/store/'] },
  { name: 'stage adapters (algorithm <-> store)', paths: ['src/stages/'] },
  { name: 'the engine', paths: ['src/engine/'] },
  { name: 'workers and live sources', paths: ['src/queue/', 'src/sources/'] },
  { name: 'edges: HTTP server and CLI', paths: ['src/server/', 'src/cli/'] },
  { name: 'the public API', paths: ['src/index.ts'] },
];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (paths) => `^(${paths.map(escape).join('|')})`;

const layerRules = LAYERS.slice(0, -1).map((layer, i) => {
  const above = LAYERS.slice(i + 1).flatMap((l) => l.paths);
  return {
    name: `layer-${i}-imports-up`,
    severity: 'error',
    comment: `Layer ${i} (${layer.name}: ${layer.paths.join(', ')}) imports only layers 0-${i}, not ${above.join(', ')}.`,
    from: { path: anyOf(layer.paths) },
    to: { path: anyOf([...above, 'src/ui/']) },
  };
});

const known = [...LAYERS.flatMap((l) => l.paths), 'src/ui/app/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type-only imports included: move what both sides need one layer down.',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'layer-unknown',
      severity: 'error',
      comment: `Every module under src/ belongs to a layer; add a new folder to LAYERS in .dependency-cruiser.cjs (known: ${known.join(', ')}).`,
      from: { path: '^src/', pathNot: anyOf(known) },
      to: {},
    },
    {
      // The browser loads tsc's output as it is (no bundler): only what is erased at compile
      // time can come from outside src/ui/app.
      name: 'ui-app-isolated',
      severity: 'error',
      comment: 'src/ui/app (browser code) imports only its own files and types from src/contract and src/domain.',
      from: { path: '^src/ui/app/' },
      to: { pathNot: '^src/(ui/app|contract|domain)/' },
    },
    {
      name: 'ui-app-types-only',
      severity: 'error',
      comment: 'src/ui/app may take only types from src/contract and src/domain (`import type`): the browser cannot load them.',
      from: { path: '^src/ui/app/' },
      to: { path: '^src/(contract|domain)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'src-not-to-tests',
      severity: 'error',
      comment: 'Shipped code does not import tests, benchmarks, fuzzers or scripts.',
      from: { path: '^src/' },
      to: { path: '^(test|bench|fuzz|scripts)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve would hide its edges from the rules above.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'] },
    cache: false,
  },
};
