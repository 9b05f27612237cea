import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createDynamoClient, DynamoTimeouts, RECOVERY_DEADLINE_MS, RecoveryTimeouts } from '../../lib/dynamo/client.js';
import { dynamoEventStore } from '../../lib/eventStore/dynamoEventStore.js';
import { dynamoPendingReplayChunks } from '../../lib/redrive/pendingReplayChunks.js';
import { createRedriveHandler, RedriveFailedError } from '../../lib/redrive/redriveHandler.js';
import { createWebhookHandler } from '../../lib/webhook/handler.js';
import { largeDisbandBody, membersForBytes } from '../../scripts/tools/largeDisbandBody.js';
import { captureLogs } from '../support/captureLogs.js';
import { subscriptionEvent } from '../support/cloudWatchLogsSubscription.js';
import { dynamodbLocalSkipReason, TestEngine, useFreshTablePerTest } from '../support/dynaliteTable.js';
import { failEveryPut } from '../support/failingWrites.js';
import { slowDynamo } from '../support/faultyDynamo.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { signedQuery, TEST_TOKEN, tencentEvent } from '../support/tencentRequest.js';
import { testConfig } from '../support/testConfig.js';
import { testEventStore } from '../support/testEventStore.js';

const NOW = 1_763_800_000_000;
const FOUR_MIB = 4 * 1024 * 1024;
const DESTROYED = 'Group.CallbackAfterGroupDestroyed';
const context = { awsRequestId: 'redrive-large' } as Context;

/**
 * The redrive on its own clock (RecoveryTimeouts): three 4 MiB disbands the webhook could not store, recorded
 * on AWS's own DynamoDB Local, which takes seconds to write a body in parts.
 */
describe('the redrive of large bodies on DynamoDB Local', () => {
  const skipReason = dynamodbLocalSkipReason();
  if (skipReason !== undefined) {
    it.skip(skipReason, () => {});
    return;
  }
  const table = useFreshTablePerTest(TestEngine.DynamodbLocal);
  const config = () => testConfig({ tableName: table.tableName, callbackToken: TEST_TOKEN });

  /** The webhook's log lines for disbands of 4 MiB of these groups, answered 500 while every write failed. */
  const failedDisbands = async (groups: readonly string[]): Promise<string[]> => {
    const webhook = createWebhookHandler({
      config: config(),
      store: testEventStore({ client: table.client, tableName: table.tableName }),
      now: () => NOW,
    });
    const restore = failEveryPut(table.client);
    const logs = captureLogs();
    try {
      for (const group of groups) {
        const rawBody = largeDisbandBody({ members: membersForBytes(FOUR_MIB), groupId: group });
        const event = tencentEvent({ command: DESTROYED, rawBody, base64: true, query: signedQuery(NOW) });
        expect((await invokeHandler(webhook, event)).statusCode).toBe(500);
      }
      return [...logs.lines];
    } finally {
      logs.restore();
      restore();
    }
  };

  /** The redrive as functions/redrive.ts builds it, against the test's DynamoDB Local; counts its PutItems. */
  const redrive = ({
    endpoint = table.endpoint,
    timeouts = RecoveryTimeouts,
    deadlineMs = RECOVERY_DEADLINE_MS,
  } = {}) => {
    const env = { IS_LOCAL: 'true', AWS_ENDPOINT_URL_DYNAMODB: endpoint };
    const client = createDynamoClient(env, timeouts);
    const puts = { count: 0 };
    client.middlewareStack.add(
      (next, commandContext) => async (args) => {
        if (commandContext.commandName === 'PutItemCommand') puts.count += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countPuts' },
    );
    const handler = createRedriveHandler({
      config: config(),
      store: dynamoEventStore({ client, tableName: table.tableName, deadlineMs }),
      pending: dynamoPendingReplayChunks({ client, tableName: table.tableName }),
    });
    return { handler, puts };
  };

  it('records three logged 4 MiB disbands the first time, and a second run writes nothing', async () => {
    // Prepare
    const lines = await failedDisbands(['@TGS#big1', '@TGS#big2', '@TGS#big3']);
    const logs = captureLogs();

    try {
      // Act
      const first = redrive();
      const firstSummary = await first.handler(subscriptionEvent(lines, 'DATA_MESSAGE', NOW), context);
      const second = redrive();
      const secondSummary = await second.handler(subscriptionEvent(lines, 'DATA_MESSAGE', NOW), context);

      // Assess
      expect(firstSummary).toEqual({ recorded: 3, refused: 0, untrusted: 0, waiting: 0 });
      expect(secondSummary).toEqual({ recorded: 3, refused: 0, untrusted: 0, waiting: 0 });
      expect(second.puts.count).toBe(0);
      const events = (await table.scan()).filter((item) => item.sk?.S?.startsWith('EVENT#'));
      expect(events.map((item) => item.groupId?.S).sort()).toEqual(['@TGS#big1', '@TGS#big2', '@TGS#big3']);
      expect(events.every((item) => Number(item.bodyParts?.N) > 1)).toBe(true);
    } finally {
      logs.restore();
    }
  }, 180_000);

  it('gives each write the time it takes: a DynamoDB answering every request 0.7 s late', async () => {
    // Prepare
    const lines = await failedDisbands(['@TGS#slow']);
    const slow = await slowDynamo({ target: table.endpoint, delayMs: 700 });
    const logs = captureLogs();

    try {
      // Act
      const withWebhookTimeouts = await redrive({
        endpoint: slow.endpoint,
        timeouts: DynamoTimeouts,
        deadlineMs: 10_000,
      })
        .handler(subscriptionEvent(lines, 'DATA_MESSAGE', NOW), context)
        .catch((error: unknown) => error);
      const onItsOwnClock = await redrive({ endpoint: slow.endpoint }).handler(
        subscriptionEvent(lines, 'DATA_MESSAGE', NOW),
        context,
      );

      // Assess: the webhook's 0.4 s attempts give up on every write; the redrive's own records it
      expect(withWebhookTimeouts).toBeInstanceOf(RedriveFailedError);
      expect(onItsOwnClock).toEqual({ recorded: 1, refused: 0, untrusted: 0, waiting: 0 });
      const events = (await table.scan()).filter((item) => item.sk?.S?.startsWith('EVENT#'));
      expect(events.map((item) => item.groupId?.S)).toEqual(['@TGS#slow']);
    } finally {
      logs.restore();
      await slow.close();
    }
  }, 180_000);
});
