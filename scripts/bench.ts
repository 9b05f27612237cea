/**
 * `npm run bench`: what the webhook costs on top of the unavoidable (Node, the AWS SDK, one DynamoDB write).
 * Packages the function as a deploy would, bundles a one-PutItem baseline with the same esbuild settings,
 * and compares bundle size, cold load, first and warm invocations against a local DynamoDB.
 * Prints a table, writes bench-results.json, and exits non-zero when a budget is exceeded.
 */
import './local/quietNodeVersionWarning.js';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';
import type { ContenderName } from './bench/alternatingOrder.js';
import { type BenchMeasurement, benchMeasurement, benchResult } from './bench/benchResult.js';
import { BENCH_SETTINGS } from './bench/benchSettings.js';
import { checkBudgets } from './bench/budgets.js';
import { countItems } from './bench/countItems.js';
import { startDynamoServerProcess } from './bench/dynamoServerProcess.js';
import type { HandlerOverheadInput, HandlerOverheadReport } from './bench/handlerOverheadProbe.js';
import { lambdaEnvironment } from './bench/lambdaEnvironment.js';
import { measureColdStarts } from './bench/measureColdStarts.js';
import { measureWarmInvocations } from './bench/measureWarmInvocations.js';
import { packageFunction } from './bench/packagedFunction.js';
import { spawnProbe } from './bench/probeProcess.js';
import { resultsTable } from './bench/resultsTable.js';
import { median } from './bench/statistics.js';
import { BUNDLE_EXTENSION, fullSdkBuildOptions } from './deploy/bundleOptions.js';
import { ensureEventsTable } from './local/eventsTable.js';
import { localDynamoClient } from './local/localDynamoClient.js';
import { repositoryRoot } from './local/localSettings.js';

const benchSource = (file: string) => join(repositoryRoot, 'scripts', 'bench', file);
const PROBES = {
  coldStart: 'coldStartProbe',
  warmInvocation: 'warmInvocationWorker',
  handlerOverhead: 'handlerOverheadProbe',
} as const;

const step = (message: string) => console.error(`bench: ${message}`);

const workDir = mkdtempSync(join(tmpdir(), 'webhook-bench-'));
const startedAt = Date.now();
let exitCode = 1;
try {
  step(`packaging the ${BENCH_SETTINGS.functionName} function (serverless package --stage ${BENCH_SETTINGS.stage})`);
  const packaged = packageFunction({
    functionName: BENCH_SETTINGS.functionName,
    outputDir: join(workDir, 'package'),
    args: [
      '--stage', BENCH_SETTINGS.stage,
      '--param', `sdkAppId=${BENCH_SETTINGS.sdkAppId}`,
      '--param', 'region=eu-west-1',
      '--param', 'callbackTokenParameter=/bench/callback-token',
    ],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (packaged.unresolvedEnvironment.length > 0) {
    step(`left out (resolved by CloudFormation at deploy time): ${packaged.unresolvedEnvironment.join(', ')}`);
  }
  const tableName = packaged.environment.TABLE_NAME;
  if (!tableName) throw new Error('the packaged function has no TABLE_NAME');

  step('bundling the baseline with the same esbuild settings, and the probes');
  const esbuildOptions = { ...fullSdkBuildOptions, outExtension: { '.js': BUNDLE_EXTENSION } };
  const buildDir = join(workDir, 'build');
  mkdirSync(buildDir, { recursive: true });
  const bundleExtension = esbuildOptions.outExtension?.['.js'] ?? '.js';
  const bundlePaths: Record<ContenderName, string> = {
    webhook: join(buildDir, `webhook${bundleExtension}`),
    baseline: join(buildDir, `baselineHandler${bundleExtension}`),
  };
  writeFileSync(bundlePaths.webhook, packaged.bundle);
  const buildInto = { absWorkingDir: repositoryRoot, outdir: buildDir, logLevel: 'warning' as const };
  await build({ ...esbuildOptions, ...buildInto, entryPoints: [benchSource('baselineHandler.ts')] });
  // The probes are built like the function too (the overhead probe times lib/ as deployed), as CommonJS for plain node.
  await build({
    ...esbuildOptions,
    ...buildInto,
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    entryPoints: Object.values(PROBES).map((probe) => benchSource(`${probe}.ts`)),
  });
  const probePath = (probe: keyof typeof PROBES) => join(buildDir, `${PROBES[probe]}.cjs`);
  const baselineBundle = readFileSync(bundlePaths.baseline);

  step('starting dynalite in its own process');
  const dynamo = await startDynamoServerProcess();
  const client = localDynamoClient(dynamo.endpoint);
  try {
    await ensureEventsTable(client, tableName);
    // The token from the environment, as before the SSM parameter: `npm run bench:token` measures the read itself.
    const { CALLBACK_TOKEN_PARAMETER: _parameter, ...packagedEnv } = lambdaEnvironment(packaged, dynamo.endpoint);
    const env = { ...packagedEnv, CALLBACK_TOKEN: BENCH_SETTINGS.callbackToken };
    const timeoutMs = packaged.timeoutSeconds * 1000;

    step(`cold starts: ${BENCH_SETTINGS.coldStartPairs} alternating pairs of fresh processes`);
    const cold = await measureColdStarts({
      probePath: probePath('coldStart'),
      bundlePaths,
      env,
      pairs: BENCH_SETTINGS.coldStartPairs,
      timeoutMs,
      onProgress: (pair) => {
        if ((pair + 1) % 10 === 0) step(`  ${pair + 1} pairs`);
      },
    });

    step(`warm invocations: ${BENCH_SETTINGS.warmPairs} alternating pairs, one long-lived process per contender`);
    const warm = await measureWarmInvocations({
      workerPath: probePath('warmInvocation'),
      bundlePaths,
      env,
      timeoutMs,
      warmupPairs: BENCH_SETTINGS.warmupPairs,
      pairs: BENCH_SETTINGS.warmPairs,
      maxDurationMs: BENCH_SETTINGS.warmMaxDurationMs,
    });

    step('handler overhead with the store stubbed out');
    const overheadInput: HandlerOverheadInput = {
      runId: 'overhead',
      timeoutMs,
      warmupInvocations: BENCH_SETTINGS.overheadWarmupInvocations,
      batches: BENCH_SETTINGS.overheadBatches,
      invocationsPerBatch: BENCH_SETTINGS.overheadInvocationsPerBatch,
    };
    const overhead = await spawnProbe<HandlerOverheadReport>(probePath('handlerOverhead'), overheadInput, env);

    const itemsExpected = cold.itemsWritten + warm.itemsWritten;
    const itemsFound = await countItems(client, tableName);
    if (itemsFound !== itemsExpected) {
      throw new Error(`expected ${itemsExpected} new items in ${tableName}, found ${itemsFound}: not every invocation wrote`);
    }

    const warmBaselineMedian = warm.warmInvocation.baseline;
    const deflated = (bundle: Buffer) => deflateRawSync(bundle, { level: 9 }).length;
    const measurements: BenchMeasurement[] = [
      benchMeasurement('bundle size', 'bytes', packaged.bundle.length, baselineBundle.length),
      benchMeasurement('bundle size, deflated', 'bytes', deflated(packaged.bundle), deflated(baselineBundle)),
      cold.coldLoad,
      cold.firstInvocation,
      warm.warmInvocation,
      // No baseline of its own: it is set against one warm baseline write, so the ratio is our code's share of it.
      benchMeasurement('handler overhead (store stubbed)', 'µs', median(overhead.batchMeansUs), warmBaselineMedian * 1000),
    ];
    const results = measurements.map(benchResult);
    const verdicts = checkBudgets(results);
    writeFileSync(join(repositoryRoot, 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`);

    console.log(
      `\nMeasured on this machine: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ` +
        `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, load average ${loadavg()[0]?.toFixed(2)}; ` +
        `${BENCH_SETTINGS.coldStartPairs} cold pairs, ${warm.pairsMeasured} warm pairs, ` +
        `${itemsFound} items written, ${((Date.now() - startedAt) / 1000).toFixed(0)} s.\n`,
    );
    console.log(resultsTable(measurements, verdicts));
    console.log('');
    for (const verdict of verdicts) {
      console.log(`${verdict.pass ? 'PASS' : 'FAIL'} ${verdict.name}: ${verdict.ratio ?? 'not measured'}× (budget ${verdict.limit}×)`);
    }
    console.log('\nwrote bench-results.json');
    exitCode = verdicts.every((verdict) => verdict.pass) ? 0 : 1;
  } finally {
    client.destroy();
    await dynamo.stop();
  }
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(exitCode);
