/**
 * `npm run fan-out-lag -- [--rate 1000] [--seconds 10]`: how long an event waits between its write and its PutEvents
 * acknowledged, for one hot group, on AWS's DynamoDB Local and its stream.
 *
 * A writer process (scripts/bench/hotGroupWriter.ts, BatchWriteItem of 25) writes the webhook's group-full items of
 * ONE group at the rate; the local stream poller, with the publish function's mapping settings
 * (lib/fanOut/publishStreamSource.json), feeds the real publish handler in this process, which publishes to the local
 * bus (scripts/stack/bus/) through the SDK's EventBridgeClient. Lag per event = when PutEvents acknowledged its entry
 * minus when DynamoDB acknowledged its write. Results (JSON) on stdout's last line.
 */
import '../stack/quietNodeVersionWarning.js';
import { loadavg } from 'node:os';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { deliveryIdOf } from '../../lib/fanOut/eventEntry.js';
import { publishEntries } from '../../lib/fanOut/publishEntries.js';
import { DEFAULT_EVENT_SOURCE } from '../../lib/fanOut/publishedEvent.js';
import { createPublishStreamHandler } from '../../lib/fanOut/streamHandler.js';
import { startLocalEventBus } from '../stack/bus/localEventBus.js';
import { LOCAL_CREDENTIALS } from '../stack/dynamo/localDynamoClient.js';
import { flagValue } from '../stack/process/flagValue.js';
import { publishMappingSettings } from '../stack/stream/publishFollower.js';
import { startStreamPoller } from '../stack/stream/streamPoller.js';
import { hotGroupDeliveryId, startWriter } from './hotGroupWriter.js';
import { quantile } from './statistics.js';
import { type StreamingTable, withStreamingTable } from './streamingTable.js';

/** After the writer stops, how long publishing may take to catch up before the run says it did not. */
const CATCH_UP_LIMIT_MS = 60_000;
const START_TIME = 1_700_000_000_000;
const round = (value: number, digits = 0) => Number(value.toFixed(digits));

const measure = async (
  { endpoint, client, streamsClient, tableName }: StreamingTable,
  rate: number,
  seconds: number,
) => {
  const bus = await startLocalEventBus({ region: 'local' });
  const eventBridge = new EventBridgeClient({
    endpoint: bus.endpoint,
    region: 'local',
    credentials: LOCAL_CREDENTIALS,
  });
  const acknowledgedAt = new Map<string, number>();
  const counts = { invocations: 0, records: 0, putEventsCalls: 0, publishedAgain: 0, queued: 0 };
  try {
    const handler = createPublishStreamHandler({
      settings: { eventBusName: tableName, source: DEFAULT_EVENT_SOURCE },
      publish: async (entries) => {
        counts.putEventsCalls += Math.ceil(entries.length / 10);
        const failed = await publishEntries(eventBridge, entries);
        const now = Date.now();
        const unpublished = new Set(failed.map(({ entry }) => entry));
        for (const entry of entries) {
          if (unpublished.has(entry)) continue;
          const deliveryId = deliveryIdOf(entry) ?? '';
          if (acknowledgedAt.has(deliveryId)) counts.publishedAgain += 1;
          else acknowledgedAt.set(deliveryId, now);
        }
        return failed;
      },
      queueUnpublished: async (entries) => {
        counts.queued += entries.length;
      },
    });
    const poller = startStreamPoller({
      client,
      streamsClient,
      tableName,
      name: 'publish',
      settings: publishMappingSettings,
      invoke: async (event) => {
        counts.invocations += 1;
        counts.records += event.Records.length;
        return handler(event);
      },
    });
    const load = loadavg()[0] ?? 0;
    const writer = startWriter({ endpoint, tableName, rate, seconds, startTime: START_TIME, mode: 'batch' });
    await writer.done;
    const written = writer.progress.at(-1)?.written ?? 0;
    const caughtUpBy = Date.now() + CATCH_UP_LIMIT_MS;
    while (acknowledgedAt.size < written && Date.now() < caughtUpBy) await new Promise((r) => setTimeout(r, 100));
    await poller.stop();

    const writtenAt = new Map<string, number>();
    for (const report of writer.progress)
      for (const [first, count, at] of report.acks)
        for (let index = first; index < first + count; index += 1) writtenAt.set(hotGroupDeliveryId(index), at);
    const lags = [...acknowledgedAt].flatMap(([deliveryId, at]) => {
      const wrote = writtenAt.get(deliveryId);
      return wrote === undefined ? [] : [at - wrote];
    });
    const last = writer.progress.at(-1);
    return {
      rate,
      seconds,
      written,
      writtenPerSecond: last ? round(written / ((last.at - last.startedAt) / 1000)) : 0,
      published: acknowledgedAt.size,
      publishedAgain: counts.publishedAgain,
      queued: counts.queued,
      lagMs: {
        p50: round(quantile(lags, 0.5)),
        p90: round(quantile(lags, 0.9)),
        p99: round(quantile(lags, 0.99)),
        max: round(Math.max(...lags)),
      },
      invocations: counts.invocations,
      meanRecordsPerInvocation: round(counts.records / Math.max(1, counts.invocations), 1),
      putEventsCalls: counts.putEventsCalls,
      loadAverage: round(load, 2),
    };
  } finally {
    eventBridge.destroy();
    await bus.stop();
  }
};

const rate = Number(flagValue('--rate') ?? 1_000);
const seconds = Number(flagValue('--seconds') ?? 10);
const result = await withStreamingTable('fan-out-lag', (table) => measure(table, rate, seconds));
console.error(JSON.stringify(result));
console.log(JSON.stringify(result));
