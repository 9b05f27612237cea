/**
 * `npm start`: the webhook function on http://localhost:3000/webhook (serverless-offline), on an embedded
 * DynamoDB at http://localhost:8000 whose data persists under .data/. PORT and DYNAMODB_PORT override the
 * ports; AWS_ENDPOINT_URL_DYNAMODB uses that DynamoDB instead; LOCAL_DYNAMODB=dynamodb-local runs AWS's
 * DynamoDB Local with the table's stream feeding the groupState function. Once everything listens it says where
 * in .data/running-stack.json, for the local tools (scripts/stack/runningStack.ts). Ctrl-C or SIGTERM stops
 * everything; a busy port, a second `npm start` or .data/ in use by another process is named in one line.
 */
import './quietNodeVersionWarning.js';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { readTableName } from '../../lib/config.js';
import { describeError } from '../../lib/log.js';
import { esbuildWorkFolder } from '../deploy/esbuildWorkFolder.js';
import { eventSourceFrom, ForwardToError } from './bus/forwardToRules.js';
import { type LocalFanOut, startLocalFanOut } from './bus/startLocalFanOut.js';
import { LocalDynamodbEngine, startStackDynamo } from './dynamo/localDynamo.js';
import { LOCAL_CREDENTIALS } from './dynamo/localDynamoClient.js';
import { exitIfDynamoUnavailable } from './dynamo/localDynamoUnavailableError.js';
import { startTimeToLiveSweeper } from './dynamo/timeToLiveSweeper.js';
import {
  DEFAULT_HTTP_PORT,
  DEFAULT_LOCAL_DYNAMODB_PORT,
  DEFAULT_OFFLINE_LAMBDA_PORT,
  localDataDirectory,
  portFrom,
  repositoryRoot,
  serverlessCli,
} from './localSettings.js';
import { busyPortMessage, exitIfAnyPortBusy, isAddressInUse, portIsFree } from './process/busyPort.js';
import { waitForOutput } from './process/localServerProcess.js';
import {
  alreadyRunningMessage,
  forgetRunningStack,
  readRunningStack,
  recordedMessage,
  recordRunningStack,
} from './runningStack.js';
import { startGroupStateFollower } from './stream/groupStateFollower.js';
import { startPublishFollower } from './stream/publishFollower.js';
import { commitUncommittedBodyParts } from './stream/uncommittedBodyParts.js';

/**
 * How long the webhook's writes, and each attempt, may take under `npm start` (LOCAL_STORE_DEADLINE_MS; AWS: 1 s,
 * 0.3 s to connect). serverless-offline runs every concurrent invocation in its one process, where Lambda gives
 * each its own: under a burst, an attempt's timer measures the laptop's event loop (a connection made in time
 * but seen late), and AWS's DynamoDB Local serialises writes. Measured: with AWS's timeouts a burst of 120 was
 * answered 500 for 99 of them on dynalite (connection timeouts) and for 115 on DynamoDB Local.
 */
const LOCAL_SERVER_STORE_DEADLINE_MS = 5_000;

/** The `local` stage's region (serverless.yml), in the local bus's events. */
const LOCAL_REGION = 'eu-west-1';

const running = readRunningStack();
// A live pid with its HTTP port free is some other process that got the pid after a crash: the file is stale.
if (running && !(await portIsFree(running.httpPort))) {
  console.error(alreadyRunningMessage(running));
  process.exit(1);
}

const httpPort = portFrom(process.env.PORT, DEFAULT_HTTP_PORT);
const dynamodbPort = portFrom(process.env.DYNAMODB_PORT, DEFAULT_LOCAL_DYNAMODB_PORT);
await exitIfAnyPortBusy([
  { port: httpPort, variable: 'PORT' },
  { port: portFrom(process.env.OFFLINE_LAMBDA_PORT, DEFAULT_OFFLINE_LAMBDA_PORT), variable: 'OFFLINE_LAMBDA_PORT' },
  // Its own DynamoDB only: whatever answers there is not used in its stead.
  ...(process.env.AWS_ENDPOINT_URL_DYNAMODB ? [] : [{ port: dynamodbPort, variable: 'DYNAMODB_PORT' }]),
]);
// The local bus and the queue of what could not be published (docs/events.md, "On a laptop"); a bad FORWARD_TO is
// refused before anything starts.
const startFanOut = () =>
  startLocalFanOut({
    dataDir: localDataDirectory,
    forwardTo: process.env.FORWARD_TO,
    source: eventSourceFrom(),
    region: process.env.AWS_REGION?.trim() || LOCAL_REGION,
  }).catch((error: unknown) => {
    console.error(error instanceof ForwardToError ? error.message : `local event bus: ${describeError(error)}`);
    process.exit(1);
  });
// Its ports are any free ones, never one npm start is about to bind (free now, so the system may hand it out).
const ownPorts = [httpPort, portFrom(process.env.OFFLINE_LAMBDA_PORT, DEFAULT_OFFLINE_LAMBDA_PORT), dynamodbPort];
const takesOwnPort = ({ eventBusEndpoint, queueEndpoint }: LocalFanOut) =>
  [eventBusEndpoint, queueEndpoint].some((endpoint) => ownPorts.includes(Number(new URL(endpoint).port)));
let fanOut: LocalFanOut = await startFanOut();
while (takesOwnPort(fanOut)) {
  await fanOut.stop();
  fanOut = await startFanOut();
}
const forwardedTo = process.env.FORWARD_TO?.trim() ? ` → ${process.env.FORWARD_TO.trim()}` : '';
console.log(`Event bus: ${fanOut.eventBusEndpoint}${forwardedTo} (npm run events shows what is published)`);
const dynamo = await startStackDynamo().catch((error: unknown) => {
  if (!isAddressInUse(error)) return exitIfDynamoUnavailable(error);
  console.error(busyPortMessage(dynamodbPort, 'DYNAMODB_PORT'));
  process.exit(1);
});
console.log(`DynamoDB: ${dynamo.endpoint} (${dynamo.origin})`);

// serverless-esbuild leaves old bundles here; serverless-offline would load a stale webhook.js before webhook.cjs.
rmSync(join(repositoryRoot, esbuildWorkFolder()), { recursive: true, force: true });

const offline = spawn(process.execPath, [serverlessCli, 'offline', 'start', '--stage', 'local'], {
  cwd: repositoryRoot,
  // Read, and passed on: its own "Server ready" is what says it listens (below).
  stdio: ['inherit', 'pipe', 'pipe'],
  env: {
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...process.env,
    PORT: String(httpPort),
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    LOCAL_STORE_DEADLINE_MS: process.env.LOCAL_STORE_DEADLINE_MS?.trim() || String(LOCAL_SERVER_STORE_DEADLINE_MS),
    // DynamoDB Local has streams: the webhook writes once per event and the groupState function follows, as in AWS.
    ...(dynamo.streams ? { GROUP_STATE_UPDATES: 'stream' } : {}),
    ...fanOut.environment,
    UNPUBLISHED_QUEUE_URL: fanOut.unpublishedQueueUrl,
  },
});
offline.stdout?.pipe(process.stdout);
offline.stderr?.pipe(process.stderr);
const stateFollower = startGroupStateFollower(dynamo);
const publishFollower = startPublishFollower(dynamo);
// The table's TTL on the engines started here (never on a DynamoDB that AWS_ENDPOINT_URL_DYNAMODB names). Without a
// stream, the sweeper first commits the body parts of recorded events, as the stream's consumer does in AWS.
const tableName = readTableName();
const startedHere: readonly string[] = Object.values(LocalDynamodbEngine);
const timeToLive = startedHere.includes(dynamo.engine)
  ? startTimeToLiveSweeper(dynamo.endpoint, tableName, {
      beforeEachSweep: dynamo.streams
        ? undefined
        : async (client) => {
            const committed = await commitUncommittedBodyParts(client, tableName);
            if (committed > 0) console.log(`body parts: committed those of ${committed} recorded events`);
          },
    })
  : undefined;

/** serverless-offline's own shutdown has been seen to hang after a burst; it gets this long before SIGKILL. */
const OFFLINE_STOP_GRACE_MS = 5_000;
/** What serverless-offline prints once its HTTP server listens, and how long its build and start may take. */
const OFFLINE_READY = `Server ready: http://localhost:${httpPort}`;
const OFFLINE_START_TIMEOUT_MS = 180_000;

const offlineExited = new Promise<void>((resolve) => offline.once('exit', () => resolve()));

const stopOffline = async (): Promise<void> => {
  if (offline.exitCode !== null || offline.signalCode !== null) return;
  offline.kill('SIGTERM');
  const grace = setTimeout(() => offline.kill('SIGKILL'), OFFLINE_STOP_GRACE_MS);
  await offlineExited;
  clearTimeout(grace);
};

let stopping = false;
/** Every part is stopped whatever another part's stop does: nothing may outlive `npm start` and hold its ports. */
const stop = async (exitCode: number): Promise<void> => {
  if (stopping) return;
  stopping = true;
  forgetRunningStack();
  const results = await Promise.allSettled([
    stopOffline(),
    stateFollower?.stop(),
    publishFollower.stop(),
    timeToLive?.stop(),
  ]);
  results.push(...(await Promise.allSettled([dynamo.close(), fanOut.stop()])));
  for (const result of results)
    if (result.status === 'rejected') console.error(`stopping: ${describeError(result.reason)}`);
  process.exit(exitCode);
};

offline.on('exit', (code) => void stop(code ?? 0));
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

// Written once serverless-offline says it listens (and not when a stop began meanwhile): a tool that finds the file
// finds a stack that answers. Its own line, not a connection to the port: a port taken by another process after the
// check above would accept one while serverless-offline fails to bind it.
const offlineListens = await waitForOutput(offline, OFFLINE_READY, OFFLINE_START_TIMEOUT_MS).then(
  () => true,
  () => false,
);
if (offlineListens && !stopping) {
  recordRunningStack({
    pid: process.pid,
    webhookUrl: `http://localhost:${httpPort}/webhook`,
    httpPort,
    dynamodbEndpoint: dynamo.endpoint,
    engine: dynamo.engine,
    eventBusEndpoint: fanOut.eventBusEndpoint,
    unpublishedQueueUrl: fanOut.unpublishedQueueUrl,
    startedAt: new Date().toISOString(),
  });
  console.log(recordedMessage());
}
