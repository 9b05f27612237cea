import type { BuildOptions } from 'esbuild';

/** Options serverless-esbuild 1.57 consumes itself and removes before it calls esbuild (dist/bundle.js). */
const PLUGIN_ONLY_OPTIONS = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
] as const;

/** The plugin's defaults that shape a bundle (dist/index.js getBuildOptions); its target comes from the runtime. */
const PLUGIN_DEFAULTS = {
  bundle: true,
  external: [] as string[],
  exclude: ['aws-sdk'],
  platform: 'node',
  outputFileExtension: '.js',
};

const asStrings = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');

/**
 * The esbuild options serverless-esbuild would use for `custom.esbuild` as `serverless package` resolved it,
 * so a second entry point (the bench's baseline) is bundled exactly like the deployed function.
 */
export const serverlessEsbuildOptions = (customEsbuild: Record<string, unknown>, runtime: string): BuildOptions => {
  for (const unsupported of ['config', 'plugins'] as const) {
    if (customEsbuild[unsupported] !== undefined) {
      throw new Error(`custom.esbuild.${unsupported} is set: the bench cannot reproduce the plugin's build with it`);
    }
  }
  const nodeMajor = /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
  const settings: Record<string, unknown> = {
    ...PLUGIN_DEFAULTS,
    ...(nodeMajor ? { target: `node${nodeMajor}` } : {}),
    ...customEsbuild,
  };
  const exclude = asStrings(settings.exclude);
  const outputFileExtension = String(settings.outputFileExtension);
  const esbuildOnly = Object.fromEntries(
    Object.entries(settings).filter(([key]) => !(PLUGIN_ONLY_OPTIONS as readonly string[]).includes(key)),
  );
  return {
    ...esbuildOnly,
    external: [...asStrings(settings.external), ...(exclude.includes('*') ? [] : exclude)],
    ...(outputFileExtension === '.js' ? {} : { outExtension: { '.js': outputFileExtension } }),
  } as BuildOptions;
};
