/**
 * `npm run bench`: what the deployed webhook costs against the least a receiver can do (one conditional PutItem
 * with a default-configured SDK client, bundled with the SDK whole). Packages the function as a deploy would,
 * builds the baseline from the same options module (scripts/deploy/bundleOptions.ts), and compares bundle
 * size, cold load, first and warm invocations against a local DynamoDB, on this machine's Node and on Node 24
 * (Lambda's runtime). Prints a table per Node, writes bench-results.json, exits non-zero when a budget fails.
 */
import '../stack/quietNodeVersionWarning.js';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type BuildOptions, build } from 'esbuild';
import { scanPages } from '../../lib/dynamo/scanPages.js';
import { BUNDLE_EXTENSION, deployedBuildOptions, fullSdkBuildOptions } from '../deploy/bundleOptions.js';
import { startDynamoServerProcess } from '../stack/dynamo/dynamoServerProcess.js';
import { ensureEventsTable } from '../stack/dynamo/eventsTable.js';
import { localDynamoClient } from '../stack/dynamo/localDynamoClient.js';
import { LOCAL_SDK_APP_ID, repositoryRoot } from '../stack/localSettings.js';
import { ensureNode24, NODE24_VERSION } from '../stack/process/node24.js';
import { startSsmStandIn } from '../stack/ssmStandIn.js';
import {
  type ColdStart,
  type Contender,
  measureColdStarts,
  measureWarmInvocations,
  type RunSettings,
} from './alternatingRuns.js';
import { packageWebhook } from './packagedWebhook.js';
import {
  type BenchMeasurement,
  type BenchResult,
  benchMeasurement,
  benchResult,
  checkBudgets,
  resultsTable,
} from './results.js';
import { interquartileRange, median, pairRatios } from './statistics.js';

/** How much is measured: a few minutes for both Node versions on a shared 2-core machine. */
const SETTINGS = {
  stage: 'bench',
  callbackToken: 'bench-callback-token',
  callbackTokenParameter: '/bench/callback-token',
  /** Fresh processes per contender, taking turns. */
  coldStartPairs: 60,
  tokenReadPairs: 20,
  /** One long-lived process per contender, taking turns; the warm-up pairs are not counted. */
  warmupPairs: 100,
  warmPairs: 1_500,
  warmMaxDurationMs: 60_000,
  /** Store stubbed out: no I/O, so many invocations per request, averaged. */
  overheadWarmupBatches: 8,
  overheadBatches: 40,
  overheadInvocationsPerBatch: 250,
} as const;

const step = (message: string) => console.error(`bench: ${message}`);
const benchSource = (file: string) => join(repositoryRoot, 'scripts', 'bench', file);

const countItems = async (client: DynamoDBClient, tableName: string): Promise<number> => {
  let count = 0;
  for await (const page of scanPages(client, { TableName: tableName, Select: 'COUNT', ConsistentRead: true }))
    count += page.Count ?? 0;
  return count;
};

const coldMeasurement = (
  name: string,
  field: keyof ColdStart,
  value: readonly ColdStart[],
  baseline: readonly ColdStart[],
): BenchMeasurement => {
  const values = value.map((start) => start[field]);
  const baselines = baseline.map((start) => start[field]);
  return benchMeasurement(
    name,
    'ms',
    median(values),
    median(baselines),
    interquartileRange(pairRatios(values, baselines)),
  );
};

const workDir = mkdtempSync(join(tmpdir(), 'webhook-bench-'));
const startedAt = Date.now();
let exitCode = 1;
try {
  step(`packaging the webhook (serverless package --stage ${SETTINGS.stage})`);
  const packaged = packageWebhook({
    outputDir: join(workDir, 'package'),
    args: [
      '--stage',
      SETTINGS.stage,
      '--param',
      `sdkAppId=${LOCAL_SDK_APP_ID}`,
      '--param',
      'region=eu-west-1',
      '--param',
      `callbackTokenParameter=${SETTINGS.callbackTokenParameter}`,
    ],
  });
  if (packaged.unresolvedEnvironment.length > 0) {
    step(`left out (resolved by CloudFormation at deploy time): ${packaged.unresolvedEnvironment.join(', ')}`);
  }
  const tableName = packaged.environment.TABLE_NAME;
  if (!tableName) throw new Error('the packaged function has no TABLE_NAME');

  step('building the baseline (the SDK whole), the store-stubbed webhook (as deployed) and the Lambda process');
  const buildDir = join(workDir, 'build');
  mkdirSync(buildDir, { recursive: true });
  const bundlePath = (name: string) => join(buildDir, `${name}${BUNDLE_EXTENSION}`);
  const buildEntry = (options: BuildOptions, file: string) =>
    build({
      ...options,
      absWorkingDir: repositoryRoot,
      outdir: buildDir,
      outExtension: { '.js': BUNDLE_EXTENSION },
      logLevel: 'warning',
      entryPoints: [benchSource(file)],
    });
  writeFileSync(bundlePath('webhook'), packaged.bundle);
  await buildEntry(fullSdkBuildOptions, 'baselineHandler.ts');
  await buildEntry(deployedBuildOptions, 'storeStubbedHandler.ts');
  await buildEntry(fullSdkBuildOptions, 'lambdaProcess.ts');
  const baselineBundle = readFileSync(bundlePath('baselineHandler'));

  const nodes = [{ label: `Node ${process.version}`, path: process.execPath, suffix: '' }];
  if (!process.version.startsWith('v24.')) {
    step(`Node ${NODE24_VERSION} (the runtime's major version), from .ci/cache/ or the npm registry`);
    nodes.push({ label: `Node v${NODE24_VERSION}`, path: ensureNode24(), suffix: ', Node 24' });
  }

  step('starting dynalite in its own process, and an SSM stand-in');
  const dynamo = await startDynamoServerProcess();
  const ssm = await startSsmStandIn();
  ssm.parameters.set(SETTINGS.callbackTokenParameter, SETTINGS.callbackToken);
  const client = localDynamoClient(dynamo.endpoint);
  try {
    await ensureEventsTable(client, tableName);
    const withDynamo: Record<string, string> = { ...packaged.environment, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint };
    // The budgets' rows take the token from the environment, so they time the same work as before the SSM read;
    // the token rows set the read against that.
    const { CALLBACK_TOKEN_PARAMETER: _parameter, ...withoutTokenParameter } = withDynamo;
    const tokenInEnvironment = { ...withoutTokenParameter, CALLBACK_TOKEN: SETTINGS.callbackToken };
    const contenders: Record<'webhook' | 'baseline' | 'storeStubbed' | 'tokenFromSsm', Contender> = {
      webhook: { bundlePath: bundlePath('webhook'), env: tokenInEnvironment },
      baseline: { bundlePath: bundlePath('baselineHandler'), env: tokenInEnvironment },
      storeStubbed: { bundlePath: bundlePath('storeStubbedHandler'), env: tokenInEnvironment },
      tokenFromSsm: { bundlePath: bundlePath('webhook'), env: { ...withDynamo, AWS_ENDPOINT_URL_SSM: ssm.endpoint } },
    };
    const deflated = (bundle: Buffer) => deflateRawSync(bundle, { level: 9 }).length;
    const bundleRows = [
      benchMeasurement('bundle size', 'bytes', packaged.bundle.length, baselineBundle.length),
      benchMeasurement('bundle size, deflated', 'bytes', deflated(packaged.bundle), deflated(baselineBundle)),
    ];

    let itemsExpected = 0;
    const results: BenchResult[] = [];
    const tables: string[] = [];
    let allPass = true;
    for (const node of nodes) {
      const settings: RunSettings = {
        lambdaProcessPath: bundlePath('lambdaProcess'),
        nodePath: node.path,
        timeoutMs: packaged.timeoutSeconds * 1000,
        signingToken: SETTINGS.callbackToken,
        runPrefix: node.path === process.execPath ? 'this' : 'node24',
      };
      step(`${node.label}: cold starts, ${SETTINGS.coldStartPairs} pairs of fresh processes taking turns`);
      const cold = await measureColdStarts(settings, contenders, ['webhook', 'baseline'], SETTINGS.coldStartPairs);
      step(`${node.label}: the token read, ${SETTINGS.tokenReadPairs} pairs (from SSM, from the environment)`);
      const token = await measureColdStarts(settings, contenders, ['tokenFromSsm', 'webhook'], SETTINGS.tokenReadPairs);
      step(`${node.label}: warm invocations, ${SETTINGS.warmPairs} pairs, one long-lived process each`);
      const warm = await measureWarmInvocations(settings, contenders, ['webhook', 'baseline'], {
        warmupPairs: SETTINGS.warmupPairs,
        pairs: SETTINGS.warmPairs,
        invocationsPerRequest: 1,
        maxDurationMs: SETTINGS.warmMaxDurationMs,
      });
      step(`${node.label}: handler overhead with the store stubbed out`);
      const overhead = await measureWarmInvocations(settings, contenders, ['storeStubbed'], {
        warmupPairs: SETTINGS.overheadWarmupBatches,
        pairs: SETTINGS.overheadBatches,
        invocationsPerRequest: SETTINGS.overheadInvocationsPerBatch,
        maxDurationMs: SETTINGS.warmMaxDurationMs,
      });
      itemsExpected += 2 * SETTINGS.coldStartPairs + 2 * SETTINGS.tokenReadPairs + warm.invocations;

      const warmBaselineMs = median(warm.meansMs.baseline);
      const measurements: BenchMeasurement[] = [
        ...bundleRows,
        coldMeasurement('cold load', 'loadMs', cold.webhook, cold.baseline),
        coldMeasurement('first invocation', 'firstInvocationMs', cold.webhook, cold.baseline),
        benchMeasurement(
          'warm invocation',
          'ms',
          median(warm.meansMs.webhook),
          warmBaselineMs,
          interquartileRange(pairRatios(warm.meansMs.webhook, warm.meansMs.baseline)),
        ),
        // Set against one warm baseline write, so the ratio is our code's share of an invocation.
        benchMeasurement(
          'handler overhead (store stubbed)',
          'µs',
          median(overhead.meansMs.storeStubbed) * 1000,
          warmBaselineMs * 1000,
        ),
        // Set against the same webhook with the token in its environment: what reading it from SSM adds.
        coldMeasurement('cold load, token from SSM', 'loadMs', token.tokenFromSsm, token.webhook),
        coldMeasurement('first invocation, token from SSM', 'firstInvocationMs', token.tokenFromSsm, token.webhook),
      ];
      const verdicts = checkBudgets(measurements);
      allPass &&= verdicts.every((verdict) => verdict.pass);
      results.push(
        ...measurements.map((measurement) =>
          benchResult({ ...measurement, name: `${measurement.name}${node.suffix}` }),
        ),
      );
      const verdictLines = verdicts.map(
        (verdict) =>
          `${verdict.pass ? 'PASS' : 'FAIL'} ${verdict.name}: ${verdict.ratio ?? 'not measured'}× (budget ` +
          `${verdict.limit}×)`,
      );
      tables.push(
        `${node.label}: ${SETTINGS.coldStartPairs} cold pairs, ${warm.meansMs.webhook.length} warm pairs, load ` +
          `average ${loadavg()[0]?.toFixed(2)} at its end\n\n` +
          `${resultsTable(measurements, verdicts)}\n\n${verdictLines.join('\n')}`,
      );
    }
    if (ssm.requests.length !== nodes.length * SETTINGS.tokenReadPairs) {
      throw new Error(`expected one SSM read per cold start that reads the token, got ${ssm.requests.length}`);
    }
    const itemsFound = await countItems(client, tableName);
    if (itemsFound !== itemsExpected) {
      throw new Error(
        `expected ${itemsExpected} new items in ${tableName}, found ${itemsFound}: not every invocation wrote`,
      );
    }
    writeFileSync(join(repositoryRoot, 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`);

    console.log(
      `\nMeasured on this machine: ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ` +
        `${cpus()[0]?.model.trim() ?? 'CPU'}, ` +
        `load average ${loadavg()
          .map((load) => load.toFixed(2))
          .join(' / ')} (1 / 5 / 15 min) at the end; ${itemsFound} items written, ` +
        `${((Date.now() - startedAt) / 1000).toFixed(0)} s.\n`,
    );
    console.log(tables.join('\n\n'));
    console.log('\nwrote bench-results.json');
    exitCode = allPass ? 0 : 1;
  } finally {
    client.destroy();
    await ssm.close();
    await dynamo.stop();
  }
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(exitCode);
