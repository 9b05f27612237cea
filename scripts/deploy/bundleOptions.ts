/**
 * How every bundle of this project is built, in one place: serverless-esbuild reads it for the functions
 * (serverless.yml, custom.esbuild.config → esbuildConfig.cjs) and `npm run bench` builds its baseline from it,
 * so the two can never drift apart.
 */
import type { BuildOptions } from 'esbuild';
import { esbuildWorkFolder } from './esbuildWorkFolder.js';
import { LOCAL_STAGE } from './localStageGuard.js';
import { ssmErrorsByName } from './ssmErrorsByName.js';

/** .cjs: package.json says "type": "module", which would make a local .js bundle load as ESM. */
export const BUNDLE_EXTENSION = '.cjs';

const sharedOptions = {
  bundle: true,
  minify: true,
  // No source map: --enable-source-maps would be paid on every cold start.
  sourcemap: false,
  // ESM builds of the AWS SDK tree-shake far better than its CommonJS ones.
  mainFields: ['module', 'main'],
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  // The AWS SDK is bundled too: one file loads faster than the runtime's SDK from node_modules, and the version is
  // ours.
  external: [],
} as const satisfies BuildOptions;

/**
 * @middy/core loads Node's web streams at start-up for response streaming, which we do not use (~4 ms per cold start).
 */
const lazyWebStreams = { 'node:stream/web': './lib/webhook/lazyWebStreams.ts' } as const;

/**
 * The AWS SDK as published: its whole credential chain (AWS_PROFILE, SSO, INI files, ...), and `keepNames` so
 * that every class keeps its name. The local stage's functions (npm start, invoke local) and the bench's baseline.
 */
export const fullSdkBuildOptions: BuildOptions = {
  ...sharedOptions,
  keepNames: true,
  alias: lazyWebStreams,
};

/**
 * Deployed stages: the SDK code Lambda never runs is left out (scripts/bench/README.md, "What each trim saves"):
 * credentials from the environment only (lib/deployedBundle/), no endpoint discovery, no event streams, SSM errors
 * by name. No `keepNames`: every error class of ours sets its `name`, which is all that is read.
 */
export const deployedBuildOptions: BuildOptions = {
  ...sharedOptions,
  keepNames: false,
  alias: {
    ...lazyWebStreams,
    '@aws-sdk/credential-provider-node': './lib/deployedBundle/environmentCredentials.ts',
    '@aws-sdk/middleware-endpoint-discovery': './lib/deployedBundle/noEndpointDiscovery.ts',
    '@smithy/core/event-streams': './lib/deployedBundle/noEventStreams.ts',
  },
  plugins: [ssmErrorsByName],
};

/** serverless-esbuild's settings for a stage: its own few on top of the esbuild options above. */
export const serverlessEsbuildConfig = (stage: string) => ({
  ...(stage === LOCAL_STAGE ? fullSdkBuildOptions : deployedBuildOptions),
  outputFileExtension: BUNDLE_EXTENSION,
  outputWorkFolder: esbuildWorkFolder(),
  // Nothing stays out of the bundle (the plugin's default leaves out the v2 `aws-sdk`).
  exclude: [],
  packager: 'npm',
});
