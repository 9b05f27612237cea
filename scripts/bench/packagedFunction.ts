import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot, serverlessCli } from '../local/localSettings.js';
import { readZipEntry } from './zipEntry.js';

/** What `serverless package` produced for one function, as the bench needs it. */
export interface PackagedFunction {
  /** The function's file as deployed, read out of the package's zip. */
  bundle: Buffer;
  /** custom.esbuild after serverless resolved its variables. */
  customEsbuild: Record<string, unknown>;
  runtime: string;
  region: string;
  deployedName: string;
  memorySize: number;
  timeoutSeconds: number;
  /** The function's environment (provider's and its own); values CloudFormation resolves at deploy time are left out. */
  environment: Record<string, string>;
  /** Names of environment variables left out because they are CloudFormation expressions. */
  unresolvedEnvironment: string[];
}

interface ServerlessState {
  package: { artifact?: string };
  service: {
    custom?: { esbuild?: Record<string, unknown> };
    provider: {
      runtime?: string;
      region?: string;
      memorySize?: number;
      timeout?: number;
      environment?: Record<string, unknown>;
    };
    functions: Record<
      string,
      {
        handler: string;
        name: string;
        runtime?: string;
        memorySize?: number;
        timeout?: number;
        environment?: Record<string, unknown>;
        package?: { artifact?: string };
      }
    >;
  };
}

/** The Serverless Framework's defaults when serverless.yml sets none. */
const DEFAULT_MEMORY_SIZE = 1024;
const DEFAULT_TIMEOUT_SECONDS = 6;

const splitEnvironment = (environment: Record<string, unknown>) => {
  const resolved: Record<string, string> = {};
  const unresolved: string[] = [];
  for (const [name, value] of Object.entries(environment)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') resolved[name] = String(value);
    else unresolved.push(name);
  }
  return { resolved, unresolved };
};

/** `functions/webhook.handler` bundled with outputFileExtension `.cjs` is `functions/webhook.cjs` in the zip. */
const bundleEntryName = (handler: string, outputFileExtension: string): string =>
  `${handler.slice(0, handler.lastIndexOf('.'))}${outputFileExtension}`;

/**
 * Runs `serverless package --stage <stage> --package <outputDir>` offline, exactly as a deploy would build,
 * and reads back the named function's bundle and settings.
 */
export const packageFunction = ({
  functionName,
  outputDir,
  args,
  env,
}: {
  functionName: string;
  outputDir: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
}): PackagedFunction => {
  const run = spawnSync(process.execPath, [serverlessCli, 'package', '--package', outputDir, ...args], {
    cwd: repositoryRoot,
    env,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`serverless package failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);

  const state = JSON.parse(readFileSync(join(outputDir, 'serverless-state.json'), 'utf8')) as ServerlessState;
  const definition = state.service.functions[functionName];
  if (!definition) throw new Error(`serverless.yml has no function ${functionName}`);
  const customEsbuild = state.service.custom?.esbuild ?? {};
  const artifact = definition.package?.artifact ?? state.package.artifact;
  if (!artifact) throw new Error('serverless package wrote no artifact');

  const zip = readFileSync(join(outputDir, artifact.split('/').pop() ?? artifact));
  const entryName = bundleEntryName(definition.handler, String(customEsbuild.outputFileExtension ?? '.js'));
  const bundle = readZipEntry(zip, entryName);
  const { resolved, unresolved } = splitEnvironment({ ...state.service.provider.environment, ...definition.environment });
  return {
    bundle,
    customEsbuild,
    runtime: definition.runtime ?? state.service.provider.runtime ?? 'nodejs22.x',
    region: state.service.provider.region ?? 'us-east-1',
    deployedName: definition.name,
    memorySize: definition.memorySize ?? state.service.provider.memorySize ?? DEFAULT_MEMORY_SIZE,
    timeoutSeconds: definition.timeout ?? state.service.provider.timeout ?? DEFAULT_TIMEOUT_SECONDS,
    environment: resolved,
    unresolvedEnvironment: unresolved,
  };
};
