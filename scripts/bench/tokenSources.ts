/**
 * `npm run bench:token`: what each way of getting the callback token costs the webhook: bundle size, cold
 * load (require of the bundle, the read started) and load plus a first signed invocation that waits for the
 * token, in fresh processes taken in turn. The SSM API and the extension are local HTTP stand-ins, so the
 * network time of the read is loopback's, not AWS's: the numbers show what each client costs on its own.
 */
import '../local/quietNodeVersionWarning.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { type Plugin, build } from 'esbuild';
import { BUNDLE_EXTENSION, deployedBuildOptions } from '../deploy/bundleOptions.js';
import { ensureEventsTable } from '../local/eventsTable.js';
import { LOCAL_CREDENTIALS, localDynamoClient } from '../local/localDynamoClient.js';
import { LOCAL_SDK_APP_ID, repositoryRoot } from '../local/localSettings.js';
import { startSsmStandIn } from '../local/ssmStandIn.js';
import { startDynamoServerProcess } from './dynamoServerProcess.js';
import { startParametersExtensionStandIn } from './parametersExtensionStandIn.js';
import { spawnProbe } from './probeProcess.js';
import { median, quantile } from './statistics.js';
import type { TokenSourceProbeInput, TokenSourceProbeReport } from './tokenSourceProbe.js';

const ROUNDS = Number(process.env.BENCH_TOKEN_ROUNDS ?? 30);
const PARAMETER = '/bench/callback-token';
const TOKEN = 'bench-callback-token';
const SESSION_TOKEN = 'bench-session';
const TABLE = 'tencent-chat-webhooks-bench-events';

/** The deployed functions' esbuild options. */
const esbuildOptions = { ...deployedBuildOptions, outExtension: { '.js': BUNDLE_EXTENSION } };

const CANDIDATES = {
  'SDK SSM client (chosen)': undefined,
  'Parameters and Secrets extension': 'extensionTokenSource.ts',
  'token in the environment ({{resolve}})': 'environmentTokenSource.ts',
} as const;
type CandidateName = keyof typeof CANDIDATES;

const swapTokenSource = (replacement: string | undefined): Plugin => ({
  name: 'swap-token-source',
  setup(builder) {
    if (replacement === undefined) return;
    builder.onResolve({ filter: /webhookTokenSource\.js$/ }, () => ({ path: join(repositoryRoot, 'scripts', 'bench', replacement) }));
  },
});

const workDir = mkdtempSync(join(tmpdir(), 'token-bench-'));
const dynamo = await startDynamoServerProcess();
const ssm = await startSsmStandIn();
ssm.parameters.set(PARAMETER, TOKEN);
const extension = await startParametersExtensionStandIn(ssm.parameters, SESSION_TOKEN);
try {
  const client = localDynamoClient(dynamo.endpoint);
  await ensureEventsTable(client, TABLE);
  client.destroy();

  const bundles = {} as Record<CandidateName, string>;
  for (const [name, replacement] of Object.entries(CANDIDATES) as [CandidateName, string | undefined][]) {
    const outdir = join(workDir, String(Object.keys(bundles).length));
    await build({
      ...esbuildOptions,
      absWorkingDir: repositoryRoot,
      outdir,
      logLevel: 'warning',
      entryPoints: [join(repositoryRoot, 'functions', 'webhook.ts')],
      plugins: [...(deployedBuildOptions.plugins ?? []), swapTokenSource(replacement)],
    });
    bundles[name] = join(outdir, 'webhook.cjs');
  }
  await build({ ...esbuildOptions, absWorkingDir: repositoryRoot, outdir: workDir, logLevel: 'warning', format: 'cjs', outExtension: { '.js': '.cjs' }, entryPoints: [join(repositoryRoot, 'scripts', 'bench', 'tokenSourceProbe.ts')] });

  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: SESSION_TOKEN,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    SDK_APP_ID: LOCAL_SDK_APP_ID,
    TABLE_NAME: TABLE,
    GROUP_STATE_UPDATES: 'stream',
    ALLOW_UNSIGNED_CALLBACKS: 'false',
    LOG_LEVEL: 'WARN',
  };
  const envFor: Record<CandidateName, NodeJS.ProcessEnv> = {
    'SDK SSM client (chosen)': { ...baseEnv, CALLBACK_TOKEN_PARAMETER: PARAMETER, AWS_ENDPOINT_URL_SSM: ssm.endpoint },
    'Parameters and Secrets extension': {
      ...baseEnv,
      CALLBACK_TOKEN_PARAMETER: PARAMETER,
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(extension.port),
    },
    'token in the environment ({{resolve}})': { ...baseEnv, CALLBACK_TOKEN: TOKEN },
  };

  const samples = Object.fromEntries(Object.keys(CANDIDATES).map((name) => [name, [] as TokenSourceProbeReport[]])) as Record<
    CandidateName,
    TokenSourceProbeReport[]
  >;
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const name of Object.keys(CANDIDATES) as CandidateName[]) {
      const input: TokenSourceProbeInput = { bundlePath: bundles[name], runId: `${round}-${name.length}`, signingToken: TOKEN };
      samples[name].push(await spawnProbe<TokenSourceProbeReport>(join(workDir, 'tokenSourceProbe.cjs'), input, envFor[name]));
    }
  }

  const ms = (value: number) => value.toFixed(1);
  console.log(`\n${ROUNDS} fresh processes per candidate, in turn; Node ${process.version}; medians (p90)\n`);
  console.log('| candidate | bundle | deflated | cold load | load + first signed invocation |');
  console.log('|---|---|---|---|---|');
  for (const name of Object.keys(CANDIDATES) as CandidateName[]) {
    const bundle = readFileSync(bundles[name]);
    const loads = samples[name].map((sample) => sample.loadMs);
    const firsts = samples[name].map((sample) => sample.firstInvocationMs);
    console.log(
      `| ${name} | ${(bundle.length / 1024).toFixed(1)} KB | ${(deflateRawSync(bundle, { level: 9 }).length / 1024).toFixed(1)} KB | ` +
        `${ms(median(loads))} ms (${ms(quantile(loads, 0.9))}) | ${ms(median(firsts))} ms (${ms(quantile(firsts, 0.9))}) |`,
    );
  }
  console.log(`\nSSM stand-in answered ${ssm.requests.length} reads (one per SDK cold start expected: ${ROUNDS}).`);
} finally {
  await extension.close();
  await ssm.close();
  await dynamo.stop();
  rmSync(workDir, { recursive: true, force: true });
}
