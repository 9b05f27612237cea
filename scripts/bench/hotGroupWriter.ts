/**
 * The hot-group benchmarks' writer: a child process (so its requests do not share the measured handler's event loop)
 * that writes the webhook's group-full items of ONE group at a fixed rate and reports what DynamoDB acknowledged.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BatchWriteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { eventItem } from '../../lib/eventStore/eventItem.js';
import { GroupCommand } from '../../lib/tencent/commands.js';
import { localDynamoClient } from '../stack/dynamo/localDynamoClient.js';

export const GROUP_ID = '@TGS#hotgroup';

/**
 * Requests in flight: enough for 1,000 events/s at 30 ms a PutItem or 25 ms a BatchWriteItem of 25, and few
 * enough that the stream order stays within a few dozen events of the EventTime order (as deliveries' would).
 */
const WRITES_IN_FLIGHT = { put: 32, batch: 2 } as const;

/** The deliveryId of the `index`th event of a run. */
export const hotGroupDeliveryId = (index: number): string => index.toString(16).padStart(32, '0');

/** The webhook's item for the `index`th group-full of the run (EventTime 1 ms apart, so all are distinct). */
export const groupFullItem = (index: number, startTime: number) => {
  const eventTime = startTime + index;
  const deliveryId = hotGroupDeliveryId(index);
  const rawBody = JSON.stringify({ CallbackCommand: GroupCommand.GroupFull, GroupId: GROUP_ID, EventTime: eventTime });
  return eventItem(
    {
      deliveryId,
      sdkAppId: '1400123456',
      command: GroupCommand.GroupFull,
      groupId: GROUP_ID,
      eventTime,
      receivedAt: Date.now(),
      clientIp: '127.0.0.1',
      optPlatform: 'RESTAPI',
      rawBody,
      fields: {},
      shapeNotes: [],
    },
    eventTime,
    'tencent',
    undefined,
  );
};

export interface WriterProgress {
  /** When the writer issued its first request. */
  startedAt: number;
  at: number;
  written: number;
  failed: number;
  /** The writes DynamoDB acknowledged since the previous report: `[first index, count, when]`. */
  acks: [number, number, number][];
}

/**
 * PutItem, conditional as the webhook's; or BatchWriteItem of 25 (unconditional), when DynamoDB Local cannot take the
 * rate as PutItems.
 */
export type WriteMode = 'put' | 'batch';

/** One run of the writer: `rate` events a second for `seconds`, EventTimes from `startTime` on. */
export interface WriterRun {
  endpoint: string;
  tableName: string;
  rate: number;
  seconds: number;
  startTime: number;
  mode: WriteMode;
}

/**
 * The writer (a child process, so its requests do not share the handler's event loop): `rate` events a second
 * for `seconds`, at most MAX_WRITES_IN_FLIGHT requests at a time; reports what DynamoDB acknowledged every 100 ms.
 */
const runWriter = async ({ endpoint, tableName, rate, seconds, startTime, mode }: WriterRun): Promise<void> => {
  const client = localDynamoClient(endpoint);
  let issued = 0;
  let written = 0;
  let failed = 0;
  let acks: WriterProgress['acks'] = [];
  let inFlight = 0;
  const total = Math.round(rate * seconds);
  const begin = Date.now();
  const report = () => {
    process.send?.({ startedAt: begin, at: Date.now(), written, failed, acks } satisfies WriterProgress);
    acks = [];
  };
  const reporter = setInterval(report, 100);
  const write = async (first: number, count: number): Promise<void> => {
    const items = Array.from({ length: count }, (_, offset) => groupFullItem(first + offset, startTime));
    if (mode === 'put') {
      await client.send(
        new PutItemCommand({ TableName: tableName, Item: items[0], ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return;
    }
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const { UnprocessedItems } = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((Date.now() - begin) / 1000) * rate));
      while (issued < due && inFlight < WRITES_IN_FLIGHT[mode]) {
        const count = mode === 'put' ? 1 : Math.min(25, due - issued);
        const first = issued;
        issued += count;
        inFlight += 1;
        write(first, count)
          .then(
            () => {
              written += count;
              acks.push([first, count, Date.now()]);
            },
            () => {
              failed += count;
            },
          )
          .finally(() => {
            inFlight -= 1;
            if (written + failed === total) resolve();
          });
      }
      if (issued < total) setTimeout(tick, 5);
    };
    tick();
  });
  clearInterval(reporter);
  report();
  client.destroy();
};

export const startWriter = (run: WriterRun) => {
  const { endpoint, tableName, rate, seconds, startTime, mode } = run;
  const child: ChildProcess = fork(
    fileURLToPath(import.meta.url),
    ['--writer', endpoint, tableName, String(rate), String(seconds), String(startTime), mode],
    {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const progress: WriterProgress[] = [{ startedAt: Date.now(), at: Date.now(), written: 0, failed: 0, acks: [] }];
  child.on('message', (message) => progress.push(message as WriterProgress));
  const done = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}`)))),
  );
  return { progress, done };
};

if (process.argv[2] === '--writer') {
  const [, , , endpoint, tableName, rate, seconds, startTime, mode] = process.argv;
  await runWriter({
    endpoint: endpoint as string,
    tableName: tableName as string,
    rate: Number(rate),
    seconds: Number(seconds),
    startTime: Number(startTime),
    mode: mode === 'batch' ? 'batch' : 'put',
  });
  process.exit(0);
}
