import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { WebhookConfig } from '../../lib/config.js';
import { dynamoPendingReplayChunks } from '../../lib/redrive/pendingReplayChunks.js';
import { createRedriveHandler, RedriveFailedError } from '../../lib/redrive/redriveHandler.js';
import { createWebhookHandler } from '../../lib/webhook/handler.js';
import { largeDisbandBody, membersForBytes } from '../../scripts/tools/largeDisbandBody.js';
import { captureLogs } from '../support/captureLogs.js';
import { subscriptionEvent } from '../support/cloudWatchLogsSubscription.js';
import { useFreshTablePerTest } from '../support/dynaliteTable.js';
import { failFirstPutWhere } from '../support/failingWrites.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { signedQuery, TEST_TOKEN, type TencentRequestOptions, tencentEvent } from '../support/tencentRequest.js';
import { testConfig } from '../support/testConfig.js';
import { testEventStore } from '../support/testEventStore.js';

/**
 * DynamoDB fails, the webhook answers 5xx and logs the delivery; the redrive, fed the webhook's log lines as a
 * CloudWatch Logs subscription delivers them (gzip, base64), records it, against a real local DynamoDB.
 */
const table = useFreshTablePerTest();
const NOW = 1_763_800_000_000;
const DESTROYED = 'Group.CallbackAfterGroupDestroyed';
const context = { awsRequestId: 'redrive-test' } as Context;

const config = (overrides: Partial<WebhookConfig> = {}) =>
  testConfig({ tableName: table.tableName, callbackToken: TEST_TOKEN, ...overrides });
const store = () => testEventStore({ client: table.client, tableName: table.tableName });
const redrive = (redriveConfig = config()) =>
  createRedriveHandler({
    config: redriveConfig,
    store: store(),
    pending: dynamoPendingReplayChunks({ client: table.client, tableName: table.tableName }),
  });

/** Sends a signed request while every write fails, and returns the webhook's log lines. */
const failedDelivery = async (request: TencentRequestOptions, webhookConfig = config()): Promise<string[]> => {
  const webhook = createWebhookHandler({ config: webhookConfig, store: store(), now: () => NOW });
  const restore = failFirstPutWhere(table.client, () => true);
  const logs = captureLogs();
  try {
    const answer = await invokeHandler(
      webhook,
      tencentEvent({ ...request, query: { ...request.query, ...signedQuery(NOW) } }),
    );
    expect(answer.statusCode).toBe(500);
    return [...logs.lines];
  } finally {
    logs.restore();
    restore();
  }
};

const eventItems = async () => (await table.scan()).filter((item) => item.sk?.S?.startsWith('EVENT#'));
const quietly = async <T>(act: () => Promise<T>): Promise<T> => {
  const logs = captureLogs();
  try {
    return await act();
  } finally {
    logs.restore();
  }
};

describe('the redrive', () => {
  it('records what a webhook that accepts listed source addresses only logged (the redrive is not one)', async () => {
    // Prepare: tencentEvent comes from 203.0.113.9
    const listedOnly = config({ sourceIpAllowlist: ['203.0.113.0/24'] });
    const lines = await failedDelivery(
      { body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: '@TGS#IP' } },
      listedOnly,
    );

    // Act
    const summary = await quietly(() => redrive(listedOnly)(subscriptionEvent(lines), context));

    // Assess
    expect(summary).toEqual({ recorded: 1, refused: 0, untrusted: 0, waiting: 0 });
    expect(await eventItems()).toHaveLength(1);
  });

  it('records a delivery the webhook failed to store, and a second redrive of it is a duplicate', async () => {
    // Prepare
    const body = {
      CallbackCommand: 'Group.CallbackAfterGroupFull',
      GroupId: '@TGS#REDRIVE',
      EventTime: '1670574414123',
    };
    const lines = await failedDelivery({ body });
    expect(await eventItems()).toEqual([]);

    // Act
    const first = await quietly(() => redrive()(subscriptionEvent(lines), context));
    const second = await quietly(() => redrive()(subscriptionEvent(lines), context));

    // Assess
    expect(first).toEqual({ recorded: 1, refused: 0, untrusted: 0, waiting: 0 });
    expect(second).toEqual({ recorded: 1, refused: 0, untrusted: 0, waiting: 0 });
    const items = await eventItems();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      groupId: { S: '@TGS#REDRIVE' },
      receivedAt: { N: String(NOW) },
      body: { S: JSON.stringify(body) },
    });
  });

  it("waits for a large delivery's lines across batches, then records it whole", async () => {
    // Prepare
    const rawBody = largeDisbandBody({ members: membersForBytes(1_000_000), groupId: '@TGS#REDRIVE_LARGE' });
    const lines = await failedDelivery({ command: DESTROYED, rawBody, base64: true });
    expect(lines.length).toBeGreaterThan(3);
    const [head, ...chunks] = lines;
    const half = Math.ceil(chunks.length / 2);

    // Act: the chunk lines reach the redrive in two batches, the head in the second.
    const first = await quietly(() => redrive()(subscriptionEvent(chunks.slice(0, half)), context));
    const afterFirst = await eventItems();
    const second = await quietly(() => redrive()(subscriptionEvent([...chunks.slice(half), head as string]), context));

    // Assess
    expect(first).toEqual({ recorded: 0, refused: 0, untrusted: 0, waiting: 1 });
    expect(afterFirst).toEqual([]);
    expect(second).toEqual({ recorded: 1, refused: 0, untrusted: 0, waiting: 0 });
    const items = await eventItems();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      groupId: { S: '@TGS#REDRIVE_LARGE' },
      bodyBytes: { N: String(Buffer.byteLength(rawBody)) },
    });
  });

  it(
    'fails the invocation while DynamoDB still fails, so Lambda retries it and then hands it to the on-failure ' +
      'queue',
    async () => {
      const lines = await failedDelivery({});
      const restore = failFirstPutWhere(table.client, () => true);
      try {
        await expect(quietly(() => redrive()(subscriptionEvent(lines), context))).rejects.toBeInstanceOf(
          RedriveFailedError,
        );
      } finally {
        restore();
      }
      expect(await eventItems()).toEqual([]);
    },
  );

  it("ignores CloudWatch Logs' control message and lines without a replay record", async () => {
    expect(await redrive()(subscriptionEvent([], 'CONTROL_MESSAGE'), context)).toEqual({
      recorded: 0,
      refused: 0,
      untrusted: 0,
      waiting: 0,
    });
    const unrelated = [
      JSON.stringify({ level: 'ERROR', message: 'webhook', outcome: 'failed', reason: 'NotConfigured' }),
      'START RequestId: 1',
    ];
    expect(await quietly(() => redrive()(subscriptionEvent(unrelated), context))).toEqual({
      recorded: 0,
      refused: 0,
      untrusted: 0,
      waiting: 0,
    });
    expect(await table.scan()).toEqual([]);
  });
});
