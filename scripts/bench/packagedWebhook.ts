/**
 * The webhook as a deploy builds it: `serverless package --stage bench` run offline into a directory, its
 * bundle read out of the zip, and the environment Lambda would give it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_EXTENSION } from '../deploy/bundleOptions.js';
import { LOCAL_CREDENTIALS } from '../stack/dynamo/localDynamoClient.js';
import { repositoryRoot, serverlessCli } from '../stack/localSettings.js';
import { readZipEntry } from '../stack/process/zipEntry.js';

export interface PackagedWebhook {
  /** functions/webhook.cjs as deployed. */
  bundle: Buffer;
  /** The function's environment in AWS plus what the Lambda runtime sets; nothing from the developer's shell. */
  environment: Record<string, string>;
  /** Names of variables left out because CloudFormation resolves them at deploy time. */
  unresolvedEnvironment: string[];
  timeoutSeconds: number;
}

interface ServerlessState {
  service: {
    provider: {
      runtime: string;
      region: string;
      memorySize: number;
      timeout: number;
      environment?: Record<string, unknown>;
    };
    functions: Record<
      string,
      { handler: string; name: string; memorySize?: number; timeout?: number; environment?: Record<string, unknown> }
    >;
  };
}

export const packageWebhook = ({
  outputDir,
  args,
}: {
  outputDir: string;
  args: readonly string[];
}): PackagedWebhook => {
  const run = spawnSync(process.execPath, [serverlessCli, 'package', '--package', outputDir, ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`serverless package failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);

  const { service } = JSON.parse(readFileSync(join(outputDir, 'serverless-state.json'), 'utf8')) as ServerlessState;
  const webhook = service.functions.webhook;
  if (!webhook) throw new Error('serverless.yml has no webhook function');
  const handlerFile = webhook.handler.slice(0, webhook.handler.lastIndexOf('.'));
  const bundle = readZipEntry(readFileSync(join(outputDir, 'webhook.zip')), `${handlerFile}${BUNDLE_EXTENSION}`);

  const resolved: Record<string, string> = {};
  const unresolvedEnvironment: string[] = [];
  for (const [name, value] of Object.entries({ ...service.provider.environment, ...webhook.environment })) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      resolved[name] = String(value);
    else unresolvedEnvironment.push(name);
  }
  const { runtime, region, memorySize } = service.provider;
  return {
    bundle,
    environment: {
      PATH: process.env.PATH ?? '',
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: webhook.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(webhook.memorySize ?? memorySize),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: 'local',
      // Lambda's nodejs24.x prints no such notice; the local Node 20 would, once per process.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...resolved,
    },
    unresolvedEnvironment,
    timeoutSeconds: webhook.timeout ?? service.provider.timeout,
  };
};
