import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBStreamsClient,
  type GetRecordsCommandInput,
  type GetRecordsCommandOutput,
} from '@aws-sdk/client-dynamodb-streams';
import type { APIGatewayProxyEventV2, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventSortKey } from '../../lib/dynamo/tableKeys.js';
import { dynamoGroupStateStore } from '../../lib/groupState/store.js';
import { createGroupStateStreamHandler } from '../../lib/groupState/streamHandler.js';
import { createGroupsApiHandler, GroupsRoute } from '../../lib/groupsApi/handler.js';
import { dynamoGroupReader } from '../../lib/groupsApi/reader.js';
import { GroupCommand } from '../../lib/tencent/commands.js';
import { createWebhookHandler } from '../../lib/webhook/handler.js';
import { LOCAL_CREDENTIALS } from '../../scripts/stack/dynamo/localDynamoClient.js';
import {
  type StreamPoller,
  startStreamPoller,
  streamMappingSettings,
} from '../../scripts/stack/stream/streamPoller.js';
import { dynamodbLocalSkipReason, startTestTable, TestEngine, type TestTable } from '../support/dynaliteTable.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { eventItemOf } from '../support/recordEventItems.js';
import { tencentEvent } from '../support/tencentRequest.js';
import { testConfig } from '../support/testConfig.js';
import { testEventStore } from '../support/testEventStore.js';

/**
 * The AWS path on AWS's own engine: webhook (one write per event) → DynamoDB Local's table → its stream →
 * the local poller with the event source mapping's settings → the groupState handler → GET /groups/{id}.
 */
const skipReason = dynamodbLocalSkipReason();
const ATTR = 'Group.CallbackAfterGroupAttrChanged';

describe.skipIf(skipReason !== undefined)(
  `the stream path on DynamoDB Local${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let table: TestTable;
    let tableName: string;
    let streamsClient: DynamoDBStreamsClient;
    let poller: StreamPoller | undefined;

    beforeAll(async () => {
      table = await startTestTable(TestEngine.DynamodbLocal);
      streamsClient = new DynamoDBStreamsClient({
        endpoint: table.dynamo.endpoint,
        region: 'local',
        credentials: LOCAL_CREDENTIALS,
      });
    });
    beforeEach(async () => {
      tableName = await table.createTable();
    });
    afterAll(async () => {
      await poller?.stop();
      streamsClient?.destroy();
      await table?.close();
    });

    // DynamoDB Local serializes writes (about 15 ms each under 60 concurrent PutItems here), past the webhook's 1 s
    // deadline: the test deadline instead.
    const webhook = () =>
      createWebhookHandler({
        config: testConfig({ tableName }),
        store: testEventStore({ client: table.client, tableName }),
      });
    const readState = async (groupId: string) => {
      const api = createGroupsApiHandler({ reader: dynamoGroupReader({ client: table.client, tableName }) });
      const response = await api({
        routeKey: GroupsRoute.State,
        pathParameters: { groupId },
      } as unknown as APIGatewayProxyEventV2);
      return { status: response.statusCode, body: JSON.parse(response.body) };
    };
    const startPolling = (
      invoke: (event: DynamoDBStreamEvent) => ReturnType<ReturnType<typeof createGroupStateStreamHandler>>,
      settings = streamMappingSettings,
      onGiveUp?: () => void,
    ) => {
      poller = startStreamPoller({
        client: table.client,
        streamsClient,
        tableName,
        invoke,
        settings,
        idleMs: 50,
        ...(onGiveUp ? { onGiveUp } : {}),
      });
      return poller;
    };

    it("turns webhooks into the group state through the stream, with the mapping's filter and batch size", async () => {
      // Prepare: events delivered out of order, one twice (a duplicate writes nothing, so it has no record)
      const seen: number[] = [];
      const groupState = createGroupStateStreamHandler({
        store: dynamoGroupStateStore({ client: table.client, tableName }),
      });
      const running = startPolling(async (event) => {
        seen.push(...event.Records.map((record) => (record.dynamodb?.Keys?.sk?.S?.startsWith('EVENT#') ? 1 : 0)));
        return groupState(event);
      });
      const handler = webhook();
      const deliveries = [
        tencentEvent({
          command: ATTR,
          body: {
            CallbackCommand: ATTR,
            GroupId: '@TGS#stream',
            OptionType: 'set',
            GroupAttr: [{ key: 'k', value: 'new' }],
            EventTime: '3000',
          },
        }),
        tencentEvent({
          command: ATTR,
          body: {
            CallbackCommand: ATTR,
            GroupId: '@TGS#stream',
            OptionType: 'modify',
            GroupAttr: [{ key: 'k', value: 'old' }],
            EventTime: '2000',
          },
        }),
        ...Array.from({ length: 60 }, (_, index) =>
          tencentEvent({
            body: {
              CallbackCommand: 'Group.CallbackAfterGroupFull',
              GroupId: '@TGS#stream',
              EventTime: String(1000 + index),
            },
          }),
        ),
        tencentEvent({
          body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: '@TGS#stream', EventTime: '1000' },
        }),
      ];

      // Act
      const answers = await Promise.all(deliveries.map((delivery) => invokeHandler(handler, delivery)));
      await running.drained();
      const state = await readState('@TGS#stream');
      await running.stop();

      // Assess: only event items reached the function (not the state item's own INSERT/MODIFY records)
      expect(answers.every((answer) => answer.statusCode === 200)).toBe(true);
      expect(seen).toHaveLength(62);
      expect(seen.every((isEvent) => isEvent === 1)).toBe(true);
      expect(state).toMatchObject({
        status: 200,
        body: { groupId: '@TGS#stream', fullCount: 60, eventCount: 62, attributes: { k: 'new' }, lastEventTime: 3000 },
      });
    }, 120_000);

    it('re-reads from a reported failure until the function succeeds, and gives a batch up after ' +
      'maximumRetryAttempts', async () => {
      // Prepare: the function reports its first record failed twice; a second group's record always fails
      const groupState = createGroupStateStreamHandler({
        store: dynamoGroupStateStore({ client: table.client, tableName }),
      });
      let flaky = 2;
      const givenUp: unknown[] = [];
      const running = startPolling(
        async (event) => {
          const first = event.Records[0];
          if (first?.dynamodb?.NewImage?.groupId?.S === '@TGS#poison')
            return { batchItemFailures: [{ itemIdentifier: first.dynamodb.SequenceNumber ?? '' }] };
          if (flaky > 0 && first !== undefined) {
            flaky -= 1;
            return { batchItemFailures: [{ itemIdentifier: first.dynamodb?.SequenceNumber ?? '' }] };
          }
          return groupState(event);
        },
        { ...streamMappingSettings, maximumRetryAttempts: 2 },
        () => givenUp.push(1),
      );

      // Act
      await invokeHandler(
        webhook(),
        tencentEvent({
          body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: '@TGS#flaky', EventTime: '1' },
        }),
      );
      await running.drained();
      await invokeHandler(
        webhook(),
        tencentEvent({
          body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: '@TGS#poison', EventTime: '2' },
        }),
      );
      await invokeHandler(
        webhook(),
        tencentEvent({
          body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: '@TGS#after', EventTime: '3' },
        }),
      );
      await running.drained();
      await running.stop();

      // Assess
      expect(flaky).toBe(0);
      expect((await readState('@TGS#flaky')).body).toMatchObject({ fullCount: 1 });
      expect(givenUp).toHaveLength(1);
      expect((await readState('@TGS#poison')).status).toBe(404);
    }, 120_000);

    const groupFullItem = (index: number) => {
      const deliveryId = index.toString(16).padStart(32, '0');
      return eventItemOf({
        groupId: '@TGS#batching',
        command: GroupCommand.GroupFull,
        eventTime: 1000 + index,
        deliveryId,
        sortKey: eventSortKey(1000 + index, deliveryId),
      });
    };

    it('gathers records for maximumBatchingWindowInSeconds, up to batchSize, as the event source ' +
      'mapping does', async () => {
      // Prepare: 7 events in the stream; DynamoDB Streams may return fewer records than asked for, and after the first
      // batch's read it returns one a read, so that the second batch can only be gathered over several reads
      await table.client.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [tableName]: Array.from({ length: 7 }, (_, index) => ({ PutRequest: { Item: groupFullItem(index) } })),
          },
        }),
      );
      let firstBatchRead = false;
      streamsClient.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName !== 'GetRecordsCommand') return next(args);
          const input = args.input as GetRecordsCommandInput;
          const result = await next(firstBatchRead ? { ...args, input: { ...input, Limit: 1 } } : args);
          if (((result.output as GetRecordsCommandOutput).Records ?? []).length > 0) firstBatchRead = true;
          return result;
        },
        { step: 'initialize', name: 'oneRecordPerReadAfterTheFirst' },
      );
      const batches: { size: number; handedAt: number }[] = [];

      // Act: batches of at most 5 within a 1 s window
      try {
        const running = startPolling(
          async (event) => {
            batches.push({ size: event.Records.length, handedAt: Date.now() });
            return { batchItemFailures: [] };
          },
          { ...streamMappingSettings, batchSize: 5, maximumBatchingWindowInSeconds: 1 },
        );
        await running.drained();
        await running.stop();
      } finally {
        streamsClient.middlewareStack.remove('oneRecordPerReadAfterTheFirst');
      }

      // Assess: a full batch at once, then the other two gathered over two reads until the window passed (without
      // the window: one record a call)
      expect(batches.map((batch) => batch.size)).toEqual([5, 2]);
      const [full, rest] = batches as [(typeof batches)[number], (typeof batches)[number]];
      expect(rest.handedAt - full.handedAt).toBeGreaterThanOrEqual(1_000);
    }, 60_000);

    it('reads a batch larger than one GetRecords returns (1,000 records) in several reads', async () => {
      // Prepare: 1,100 events recorded before the poller starts
      for (let first = 0; first < 1_100; first += 25) {
        const items = Array.from({ length: 25 }, (_, offset) => ({
          PutRequest: { Item: groupFullItem(first + offset) },
        }));
        await table.client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: items } }));
      }
      const sizes: number[] = [];

      // Act
      const running = startPolling(
        async (event) => {
          sizes.push(event.Records.length);
          return { batchItemFailures: [] };
        },
        {
          ...streamMappingSettings,
          batchSize: 1_100,
        },
      );
      await running.drained();
      await running.stop();

      // Assess
      expect(sizes).toEqual([1_100]);
    }, 120_000);
  },
);
