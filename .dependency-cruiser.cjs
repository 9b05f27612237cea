/**
 * The house rules `npm test` checks (dependency-cruiser): no import cycle between files, and every import points
 * down the layers below, so there is none between folders either. docs/design.md explains the layers.
 */

/** lib/'s concerns, bottom up: each may import only the ones before it (and lib/config.ts, lib/log.ts). */
const LIB_LAYERS = [
  'deployedBundle',
  'dynamo',
  'tencent',
  'eventStore',
  'fanOut',
  'groupState',
  'webhook',
  'redrive',
  'groupsApi',
];

const higherLayers = (index) => LIB_LAYERS.slice(index + 1).join('|');

const layerRules = LIB_LAYERS.slice(0, -1).map((layer, index) => ({
  name: `lib-${layer}-points-down`,
  comment: `lib/${layer}/ may import only the concerns below it: ${LIB_LAYERS.slice(0, index).join(', ') || 'none'}`,
  severity: 'error',
  from: { path: `^lib/${layer}/` },
  to: { path: `^lib/(${higherLayers(index)})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle between files: one of them has to move down a layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import of a file that is not there (TypeScript does not check side-effect imports).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    ...layerRules,
    {
      name: 'lib-shared-files-import-no-concern',
      comment: 'lib/config.ts and lib/log.ts are what every concern shares: they import none of them.',
      severity: 'error',
      from: { path: '^lib/[^/]+\\.ts$' },
      to: { path: '^lib/[^/]+/' },
    },
    {
      name: 'tencent-is-protocol-only',
      comment: "Tencent's protocol imports nothing of middy, Lambda events, storage or the rest of lib/.",
      severity: 'error',
      from: { path: '^lib/tencent/' },
      to: { pathNot: ['^lib/tencent/', '^node:', '^(crypto|buffer|zlib)$'] },
    },
    {
      name: 'product-code-never-imports-tools-or-tests',
      severity: 'error',
      from: { path: '^(lib|functions)/' },
      to: { path: '^(scripts|tests)/' },
    },
    {
      name: 'lib-never-imports-functions',
      comment: 'functions/ holds the entry points that compose lib/; nothing imports them but tools and tests.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^functions/' },
    },
    {
      name: 'stack-imports-no-tool',
      comment: 'scripts/stack/ is what the tools and the benchmark run on; it imports neither.',
      severity: 'error',
      from: { path: '^scripts/stack/' },
      to: { path: '^scripts/(tools|bench)/' },
    },
    {
      name: 'tools-import-no-benchmark',
      severity: 'error',
      from: { path: '^scripts/tools/' },
      to: { path: '^scripts/bench/' },
    },
    {
      name: 'scripts-never-import-tests',
      severity: 'error',
      from: { path: '^scripts/' },
      to: { path: '^tests/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.esbuild|\\.serverless|\\.ci|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
