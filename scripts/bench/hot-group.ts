/**
 * `npm run hot-group -- [--rates 200,500,1000] [--seconds 20] [--backlog 20000] [--batch-size N] [--window S]
 * [--writes put|batch] [--one-record-at-a-time]`: how fast one group's state keeps up, on AWS's DynamoDB Local and its
 * stream.
 *
 * A writer process puts group-full event items of ONE group (the webhook's item, conditional PutItem) at each
 * fixed rate, while the local stream poller (the event source mapping's settings) feeds the real groupState
 * handler in this process. Sampled every 200 ms: events written, events the state has folded (its `eventCount`),
 * and how long ago the writer had written as many as the state holds (the lag in seconds). Then a backlog: the
 * events written with no poller running, and the time the handler takes to fold them all (events/s absorbed).
 * `--one-record-at-a-time` feeds the handler one record per call: one read and one write per record, the cost of
 * the handler before it folded a batch per group. Results (JSON) on stdout's last line.
 */
import '../stack/quietNodeVersionWarning.js';
import { loadavg } from 'node:os';
import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { groupStateKey } from '../../lib/groupState/stateItem.js';
import { dynamoGroupStateStore } from '../../lib/groupState/store.js';
import { createGroupStateStreamHandler } from '../../lib/groupState/streamHandler.js';
import { localDynamoClient } from '../stack/dynamo/localDynamoClient.js';
import { flagValue } from '../stack/process/flagValue.js';
import {
  type StreamFunction,
  type StreamMappingSettings,
  type StreamPoller,
  startStreamPoller,
  streamMappingSettings,
} from '../stack/stream/streamPoller.js';
import { GROUP_ID, startWriter, type WriteMode, type WriterProgress } from './hotGroupWriter.js';
import { withStreamingTable } from './streamingTable.js';

const SAMPLE_MS = 200;
/** After the writer stops, how long the state may take to catch up before the run says it did not. */
const CATCH_UP_LIMIT_MS = 60_000;

const writeMode = (): WriteMode => (flagValue('--writes') === 'batch' ? 'batch' : 'put');

const foldedCount = async (client: DynamoDBClient, tableName: string): Promise<number> => {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: groupStateKey(GROUP_ID),
      ConsistentRead: true,
      ProjectionExpression: 'eventCount',
    }),
  );
  return Number(Item?.eventCount?.N ?? 0);
};

/** When the writer had first written `count` events (linear between its reports). */
const writtenAt = (progress: readonly WriterProgress[], count: number): number | undefined => {
  const after = progress.findIndex((report) => report.written >= count);
  if (after < 0) return undefined;
  const later = progress[after] as WriterProgress;
  const earlier = progress[after - 1];
  if (earlier === undefined || later.written === earlier.written) return later.at;
  return earlier.at + ((count - earlier.written) / (later.written - earlier.written)) * (later.at - earlier.at);
};

interface Sample {
  at: number;
  written: number;
  folded: number;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

interface HandlerCounts {
  invocations: number;
  records: number;
  /** Pages of the group's events read: only a replay reads them. */
  queryPages: number;
}

/** The handler, fed by the poller; counts its invocations and records. */
const countedHandler = (endpoint: string, tableName: string, oneRecordAtATime: boolean) => {
  const counts: HandlerCounts = { invocations: 0, records: 0, queryPages: 0 };
  const client = localDynamoClient(endpoint);
  // A replay reads the group's events (Query); folding never does.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') counts.queryPages += 1;
      return next(args);
    },
    { step: 'initialize' },
  );
  const handler = createGroupStateStreamHandler({ store: dynamoGroupStateStore({ client, tableName }) });
  const invoke: StreamFunction = async (event) => {
    counts.invocations += 1;
    counts.records += event.Records.length;
    if (!oneRecordAtATime) return handler(event);
    for (const record of event.Records) {
      const response = await handler({ Records: [record] });
      if (response.batchItemFailures.length > 0) return response;
    }
    return { batchItemFailures: [] };
  };
  return { invoke, counts };
};

const settingsFromFlags = (): StreamMappingSettings => ({
  ...streamMappingSettings,
  ...(flagValue('--batch-size') === undefined ? {} : { batchSize: Number(flagValue('--batch-size')) }),
  ...(flagValue('--window') === undefined ? {} : { maximumBatchingWindowInSeconds: Number(flagValue('--window')) }),
});

/** A DynamoDB Local of its own for one phase: its stream slows with every record it holds. */
interface Phase {
  endpoint: string;
  client: DynamoDBClient;
  tableName: string;
  startPoller(): { poller: StreamPoller; counts: HandlerCounts };
}

const withFreshDynamodbLocal = <T>(
  oneRecordAtATime: boolean,
  settings: StreamMappingSettings,
  run: (phase: Phase) => Promise<T>,
): Promise<T> =>
  withStreamingTable('hot-group', ({ endpoint, client, streamsClient, tableName }) =>
    run({
      endpoint,
      client,
      tableName,
      startPoller() {
        const { invoke, counts } = countedHandler(endpoint, tableName, oneRecordAtATime);
        return { poller: startStreamPoller({ client, streamsClient, tableName, invoke, settings }), counts };
      },
    }),
  );

const START_TIME = 1_700_000_000_000;

/** Events written at `rate` for `seconds` while the poller feeds the handler: how far the state lags. */
const measureRate = async ({ endpoint, client, tableName, startPoller }: Phase, rate: number, seconds: number) => {
  const { poller, counts } = startPoller();
  const load = loadavg()[0] ?? 0;
  const writer = startWriter({ endpoint, tableName, rate, seconds, startTime: START_TIME, mode: writeMode() });
  const samples: Sample[] = [];
  let writing = true;
  void writer.done.finally(() => (writing = false));
  const begin = Date.now();
  let caughtUpAt: number | undefined;
  while (Date.now() - begin < seconds * 1000 + CATCH_UP_LIMIT_MS) {
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    const folded = await foldedCount(client, tableName);
    const written = writer.progress.at(-1)?.written ?? 0;
    samples.push({ at: Date.now(), written, folded });
    if (!writing && folded >= written) {
      caughtUpAt = Date.now();
      break;
    }
  }
  await writer.done;
  await poller.stop();
  const last = writer.progress.at(-1) as WriterProgress;
  const writeEnd =
    writer.progress.find((report) => report.written + report.failed >= last.written + last.failed)?.at ?? last.at;
  const during = samples.filter((sample) => sample.at <= writeEnd);
  const lagSeconds = (sample: Sample) =>
    sample.folded >= sample.written
      ? 0
      : (sample.at - (writtenAt(writer.progress, sample.folded + 1) ?? sample.at)) / 1000;
  const lastSample = during.at(-1) ?? { at: writeEnd, written: 0, folded: 0 };
  return {
    rate,
    writtenPerSecond: round(last.written / ((writeEnd - last.startedAt) / 1000), 0),
    written: last.written,
    writeFailures: last.failed,
    maxLagEvents: Math.max(0, ...during.map((sample) => sample.written - sample.folded)),
    lagEventsAtEnd: lastSample.written - lastSample.folded,
    maxLagSeconds: round(Math.max(0, ...during.map(lagSeconds))),
    lagSecondsAtEnd: round(lagSeconds(lastSample)),
    catchUpSecondsAfterWrites: caughtUpAt === undefined ? null : round((caughtUpAt - writeEnd) / 1000),
    invocations: counts.invocations,
    meanRecordsPerInvocation: round(counts.records / Math.max(1, counts.invocations), 1),
    replayQueryPages: counts.queryPages,
    loadAverage: round(load),
  };
};

/** `backlog` events written with no poller running, then folded: the most the handler absorbs a second. */
const measureBacklog = async ({ endpoint, client, tableName, startPoller }: Phase, backlog: number) => {
  const load = loadavg()[0] ?? 0;
  const writer = startWriter({
    endpoint,
    tableName,
    rate: 100_000,
    seconds: backlog / 100_000,
    startTime: START_TIME,
    mode: writeMode(),
  });
  await writer.done;
  const last = writer.progress.at(-1) as WriterProgress;
  const begin = Date.now();
  const { poller, counts } = startPoller();
  let folded = 0;
  while (folded < last.written && Date.now() - begin < 600_000) {
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    folded = await foldedCount(client, tableName);
  }
  const elapsed = (Date.now() - begin) / 1000;
  await poller.stop();
  return {
    backlog: last.written,
    writtenPerSecond: round(last.written / ((last.at - last.startedAt) / 1000), 0),
    folded,
    seconds: round(elapsed),
    absorbedPerSecond: round(folded / elapsed, 0),
    invocations: counts.invocations,
    meanRecordsPerInvocation: round(counts.records / Math.max(1, counts.invocations), 1),
    replayQueryPages: counts.queryPages,
    loadAverage: round(load),
  };
};

const main = async () => {
  const rates = (flagValue('--rates') ?? '200,500,1000')
    .split(',')
    .map(Number)
    .filter((rate) => rate > 0);
  const seconds = Number(flagValue('--seconds') ?? 20);
  const backlog = Number(flagValue('--backlog') ?? 20_000);
  const oneRecordAtATime = process.argv.includes('--one-record-at-a-time');
  const settings = settingsFromFlags();
  const described = {
    mode: oneRecordAtATime ? 'one record at a time' : 'batch folded per group',
    writes: flagValue('--writes') === 'batch' ? 'BatchWriteItem' : 'PutItem',
    batchSize: settings.batchSize,
    windowSeconds: settings.maximumBatchingWindowInSeconds ?? 0,
  };
  const results: unknown[] = [];
  const report = (result: object) => {
    results.push({ ...described, ...result });
    console.error(JSON.stringify({ ...described, ...result }));
  };
  for (const rate of rates)
    report(await withFreshDynamodbLocal(oneRecordAtATime, settings, (phase) => measureRate(phase, rate, seconds)));
  if (backlog > 0)
    report(await withFreshDynamodbLocal(oneRecordAtATime, settings, (phase) => measureBacklog(phase, backlog)));
  console.log(JSON.stringify(results));
};

await main();
