import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventEntry } from '../../lib/fanOut/eventEntry.js';
import { publishEntries } from '../../lib/fanOut/publishEntries.js';
import { DEFAULT_EVENT_SOURCE } from '../../lib/fanOut/publishedEvent.js';
import { createPublishStreamHandler } from '../../lib/fanOut/streamHandler.js';
import { sqsUnpublishedQueue, unpublishedMessage } from '../../lib/fanOut/unpublishedQueue.js';
import { dynamoGroupReader } from '../../lib/groupsApi/reader.js';
import { type LocalFanOut, startLocalFanOut } from '../../scripts/stack/bus/startLocalFanOut.js';
import { LOCAL_CREDENTIALS } from '../../scripts/stack/dynamo/localDynamoClient.js';
import { startTableScanFeed } from '../../scripts/stack/stream/tableScanFeed.js';
import { drainUnpublishedQueue } from '../../scripts/tools/republish/drainQueue.js';
import { groupEventItems, recordedEventItem, tableEventItems } from '../../scripts/tools/republish/recordedEvents.js';
import { republishItems } from '../../scripts/tools/republish/republishItems.js';
import { type CapturedLogs, captureLogs } from '../support/captureLogs.js';
import { startTestTable, type TestTable } from '../support/dynaliteTable.js';
import { type HttpReceiver, startHttpReceiver } from '../support/httpReceiver.js';
import { inlineStateWebhook } from '../support/inlineStateWebhook.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { tencentEvent } from '../support/tencentRequest.js';

const FULL = 'Group.CallbackAfterGroupFull';
const DESTROYED = 'Group.CallbackAfterGroupDestroyed';
const ATTR = 'Group.CallbackAfterGroupAttrChanged';
const OK = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 };

/**
 * Publishing fails for a while, the bus refusing every entry, then the queue too: every callback is still answered
 * OK and folded into its group's state; what could not be published waits in the queue, which the republish
 * command empties; nothing recorded is lost. The real pieces: the webhook on dynalite, the table scan feed handing
 * new event items to the publish handler, the local bus POSTing to a real endpoint, the local SQS queue. The bus's
 * fault switch is the one stand-in: EventBridge cannot be made to fail on demand.
 */
describe('publishing while the bus fails', () => {
  let table: TestTable;
  let tableName: string;
  let receiver: HttpReceiver;
  let fanOut: LocalFanOut;
  let dataDir: string;
  let eventBridge: EventBridgeClient;
  let sqs: SQSClient;
  let feed: { stop(): Promise<void> };
  let logs: CapturedLogs;
  const settings = { eventBusName: 'tencent-chat-webhooks-local', source: DEFAULT_EVENT_SOURCE };
  const publish = (entries: Parameters<typeof publishEntries>[1]) => publishEntries(eventBridge, entries);

  beforeAll(async () => {
    logs = captureLogs();
    table = await startTestTable();
    tableName = await table.createTable();
    receiver = await startHttpReceiver();
    dataDir = mkdtempSync(join(tmpdir(), 'publish-failures-'));
    fanOut = await startLocalFanOut({
      dataDir,
      forwardTo: receiver.url,
      source: DEFAULT_EVENT_SOURCE,
      region: 'local',
    });
    const local = { region: 'local', credentials: LOCAL_CREDENTIALS };
    eventBridge = new EventBridgeClient({ ...local, endpoint: fanOut.eventBusEndpoint });
    sqs = new SQSClient({ ...local, endpoint: fanOut.queueEndpoint });
    const handler = createPublishStreamHandler({
      settings,
      publish,
      queueUnpublished: sqsUnpublishedQueue(sqs, fanOut.unpublishedQueueUrl),
    });
    feed = startTableScanFeed({
      client: table.client,
      tableName,
      invoke: handler,
      batchSize: 100,
      handedOnFile: join(dataDir, 'handed-on.json'),
      minPauseMs: 100,
    });
  }, 60_000);

  afterAll(async () => {
    logs?.restore();
    await feed?.stop();
    eventBridge?.destroy();
    sqs?.destroy();
    await fanOut?.stop();
    await receiver?.close();
    await table?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const record = async (command: string, body: Record<string, unknown>) =>
    (await invokeHandler(inlineStateWebhook(table.client, tableName), tencentEvent({ command, body }))).envelope;
  const queued = async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: fanOut.unpublishedQueueUrl, AttributeNames: ['All'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  };
  const queuedInvisible = async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: fanOut.unpublishedQueueUrl, AttributeNames: ['All'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  };
  const delivered = () => receiver.requests.map((request) => JSON.parse(request.body).detail.deliveryId as string);
  const recordedIds = async () =>
    (await table.scan(tableName)).flatMap((item) => (item.sk?.S?.startsWith('EVENT#') ? [item.deliveryId?.S] : []));
  const reader = () => dynamoGroupReader({ client: table.client, tableName });

  it('answers and folds every callback, queues what the bus refuses, and republishes it from the queue', async () => {
    // Act 1: the bus refuses every entry while five events are recorded
    fanOut.bus.faults.failNextEntries(Number.POSITIVE_INFINITY);
    const answers = [
      ...(await Promise.all(
        [1, 2, 3].map((n) => record(FULL, { CallbackCommand: FULL, GroupId: '@TGS#A', EventTime: String(1_000 + n) })),
      )),
      await record(DESTROYED, { CallbackCommand: DESTROYED, GroupId: '@TGS#B', Type: 'Public', EventTime: '2000' }),
      await record(ATTR, {
        CallbackCommand: ATTR,
        GroupId: '@TGS#C',
        OptionType: 'set',
        GroupAttr: [{ key: 'overflow', value: '@TGS#D' }],
        EventTime: '3000',
      }),
    ];

    // Assess 1: answered, folded, queued, not delivered
    expect(answers).toEqual([OK, OK, OK, OK, OK]);
    await expect.poll(queued, { timeout: 30_000 }).toBe(5);
    expect(await reader().readState('@TGS#A')).toMatchObject({ fullCount: 3, eventCount: 3 });
    expect(await reader().readState('@TGS#B')).toMatchObject({ destroyed: true });
    expect(await reader().readState('@TGS#C')).toMatchObject({ attributes: { overflow: '@TGS#D' } });
    expect(receiver.requests).toHaveLength(0);
    const queuedLines = logs.entries().filter((entry) => entry.message === 'publish' && entry.outcome === 'queued');
    expect(queuedLines.map((line) => line.errorCode)).toEqual(Array(5).fill('InternalFailure'));

    // Act 2: the bus is back; a new event goes straight through while the five wait in the queue
    fanOut.bus.faults.clear();
    await record(FULL, { CallbackCommand: FULL, GroupId: '@TGS#A', EventTime: '1004' });
    await expect.poll(() => receiver.requests.length, { timeout: 30_000 }).toBe(1);
    expect(await queued()).toBe(5);

    // Act 3: someone who may send to the queue adds an event never recorded; the republish command empties the queue
    const forged = unpublishedMessage({
      entry: {
        ...settings,
        DetailType: 'Group disbanded',
        Detail: JSON.stringify({ groupId: '@TGS#A', eventTime: 1_001, deliveryId: 'f'.repeat(32), owner: 'attacker' }),
      },
      errorCode: 'InternalFailure',
      errorMessage: 'forged',
    });
    await sqs.send(
      new SendMessageCommand({ QueueUrl: fanOut.unpublishedQueueUrl, MessageBody: JSON.stringify(forged) }),
    );
    const drained = await drainUnpublishedQueue({
      sqs,
      queueUrl: fanOut.unpublishedQueueUrl,
      publish,
      recordedEntry: async (key) => {
        const item = await recordedEventItem(table.client, tableName, key);
        return item && eventEntry(item, settings);
      },
      republishReceived: (window) =>
        republishItems(tableEventItems(table.client, tableName, window), settings, publish),
    });

    // Assess 3: every recorded event delivered once, from the table; the forged one left in the queue, never published
    expect(drained).toEqual({ republished: 5, fromTable: 0, left: 1 });
    await expect.poll(() => receiver.requests.length, { timeout: 30_000 }).toBe(6);
    expect(delivered().sort()).toEqual((await recordedIds()).sort());
    expect(await queued()).toBe(0);
    expect(await queuedInvisible()).toBe(1);
  }, 120_000);

  it('loses nothing when the queue fails too: the batch is handed on again until it is published', async () => {
    // Arrange: the bus refuses every entry and the queue is gone
    const before = receiver.requests.length;
    fanOut.bus.faults.failNextEntries(Number.POSITIVE_INFINITY);
    await fanOut.queue.stop();

    // Act
    expect(await record(FULL, { CallbackCommand: FULL, GroupId: '@TGS#E', EventTime: '5000' })).toEqual(OK);
    await expect
      .poll(() => logs.entries().filter((entry) => entry.message === 'publish' && entry.outcome === 'retry').length, {
        timeout: 30_000,
      })
      .toBeGreaterThanOrEqual(2);
    expect(receiver.requests).toHaveLength(before);
    fanOut.bus.faults.clear();

    // Assess: published once the bus is back, with no queue at all
    await expect.poll(() => receiver.requests.length, { timeout: 30_000 }).toBe(before + 1);
    expect(new Set(delivered()).size).toBe(delivered().length);
    expect(delivered().sort()).toEqual((await recordedIds()).sort());
    expect(await reader().readState('@TGS#E')).toMatchObject({ fullCount: 1 });
  }, 120_000);

  it("publishes a group's events again from the table, with the deliveryIds a consumer has seen", async () => {
    // Act
    const before = delivered();
    const result = await republishItems(groupEventItems(table.client, tableName, '@TGS#A', {}), settings, publish);

    // Assess: the four of group A again, each with the deliveryId it had
    expect(result).toEqual({ published: 4, unpublished: 0 });
    await expect.poll(() => receiver.requests.length, { timeout: 30_000 }).toBe(before.length + 4);
    const again = delivered().slice(before.length);
    expect(new Set(again).size).toBe(4);
    for (const deliveryId of again) expect(before).toContain(deliveryId);
  }, 60_000);
});
