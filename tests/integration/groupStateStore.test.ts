import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventSortKey } from '../../lib/dynamo/tableKeys.js';
import type { StateMergeInput } from '../../lib/groupState/fold.js';
import { groupStateView, MERGE_VERSION } from '../../lib/groupState/fold.js';
import { groupStateFromItem, groupStateKey, STATE_ITEM_BUDGET_BYTES } from '../../lib/groupState/stateItem.js';
import { dynamoGroupStateStore, rebuildGroupState } from '../../lib/groupState/store.js';
import { createGroupStateStreamHandler } from '../../lib/groupState/streamHandler.js';
import { dynamoGroupReader } from '../../lib/groupsApi/reader.js';
import { GroupCommand } from '../../lib/tencent/commands.js';
import { InputLimit } from '../../lib/tencent/limits.js';
import {
  dynamodbLocalSkipReason,
  startTestTable,
  TestEngine,
  type TestTable,
  testEngines,
} from '../support/dynaliteTable.js';
import { deliveriesOf, groupEventDeliveries, groupEvents, streamBatchesOf } from '../support/groupEventArbitrary.js';
import { eventItemOf, recordEventItems } from '../support/recordEventItems.js';
import { replayGroupEvents } from '../support/replayGroupEvents.js';

/** Runs the deliveries `concurrency` at a time, as concurrent webhook invocations or stream batches would. */
const deliverConcurrently = async (
  deliveries: StateMergeInput[],
  concurrency: number,
  apply: (event: StateMergeInput) => Promise<unknown>,
) => {
  const queue = [...deliveries];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await apply(next);
    }),
  );
};

const quickBackoff = () => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 3));

const attributeChange = (
  groupId: string,
  index: number,
  optionType: string,
  groupAttr: { key: string; value: string }[],
): StateMergeInput => {
  const deliveryId = index.toString(16).padStart(32, '0');
  return {
    groupId,
    command: GroupCommand.GroupAttrChanged,
    eventTime: 1_000 + index,
    deliveryId,
    sortKey: eventSortKey(1_000 + index, deliveryId),
    optionType,
    groupAttr,
  };
};

describe.each(testEngines)('the group state store on %s', (engine) => {
  const skipReason = engine === TestEngine.DynamodbLocal ? dynamodbLocalSkipReason() : undefined;
  let table: TestTable;
  let tableName: string;

  beforeAll(async () => {
    if (skipReason !== undefined) return;
    table = await startTestTable(engine);
    tableName = await table.createTable();
  });
  afterAll(async () => {
    await table?.close();
  });

  const storedState = async (groupId: string) => {
    const item = (await table.scan(tableName)).find(
      (candidate) => candidate.pk?.S === `GROUP#${groupId}` && candidate.sk?.S === 'STATE',
    );
    return item === undefined ? undefined : groupStateFromItem(item);
  };
  let run = 0;

  it.skipIf(skipReason !== undefined)(
    'ends in the in-order state for events delivered in any order, duplicated, four at a time',
    async () => {
      const store = dynamoGroupStateStore({ client: table.client, tableName, backoff: quickBackoff });
      await fc.assert(
        fc.asyncProperty(groupEventDeliveries(12), async ({ events, deliveries }) => {
          // Prepare: one fresh group per run, in the shared table, its events recorded
          run += 1;
          const groupId = `@TGS#prop${run}`;
          const mine = (event: StateMergeInput) => ({ ...event, groupId });
          await recordEventItems(table.client, tableName, events.map(mine));

          // Act
          await deliverConcurrently(deliveries.map(mine), 4, (event) => store.applyEvent(event));

          // Assess
          const stored = await storedState(groupId);
          expect(stored && groupStateView(stored.state)).toEqual(replayGroupEvents(events.map(mine)));
        }),
        { numRuns: 15 },
      );
    },
    90_000,
  );

  it.skipIf(skipReason !== undefined)(
    'ends in the in-order state through the stream function: batches of many records of one group, duplicates, ' +
      'batches sent again',
    async () => {
      const handler = createGroupStateStreamHandler({
        store: dynamoGroupStateStore({ client: table.client, tableName, backoff: quickBackoff }),
      });
      await fc.assert(
        fc.asyncProperty(
          groupEvents(90, 20)
            .chain((events) => deliveriesOf(events).map((deliveries) => ({ events, deliveries })))
            .chain(({ events, deliveries }) => streamBatchesOf(deliveries, 60).map((batches) => ({ events, batches }))),
          async ({ events, batches }) => {
            // Prepare: one fresh group per run, its events recorded; each delivery a stream record
            run += 1;
            const groupId = `@TGS#batch${run}`;
            const mine = (event: StateMergeInput) => ({ ...event, groupId });
            await recordEventItems(table.client, tableName, events.map(mine));
            const asRecord = (event: StateMergeInput, index: number): DynamoDBRecord => ({
              eventName: 'INSERT',
              dynamodb: {
                NewImage: eventItemOf(mine(event)) as never,
                SequenceNumber: String(index + 1).padStart(21, '0'),
              },
            });

            // Act: batch after batch, as the event source mapping hands them on
            for (const batch of batches)
              expect(await handler({ Records: batch.map(asRecord) })).toEqual({ batchItemFailures: [] });

            // Assess: the in-order state, written at most once a batch
            const stored = await storedState(groupId);
            expect(stored && groupStateView(stored.state)).toEqual(replayGroupEvents(events.map(mine)));
            expect(stored?.version).toBeLessThanOrEqual(batches.length);
          },
        ),
        { numRuns: 8, endOnFailure: true },
      );
    },
    180_000,
  );

  it.skipIf(skipReason !== undefined)(
    'loses no update when 40 attribute changes of one group race each other',
    async () => {
      // Prepare
      const store = dynamoGroupStateStore({ client: table.client, tableName, backoff: quickBackoff });
      const changes = Array.from({ length: 40 }, (_, index) =>
        attributeChange('@TGS#race', index, 'modify', [{ key: `key${index}`, value: String(index) }]),
      );
      await recordEventItems(table.client, tableName, changes);

      // Act
      await Promise.all(changes.map((change) => store.applyEvent(change)));

      // Assess
      const stored = await storedState('@TGS#race');
      expect(Object.keys(stored?.state.attributes ?? {})).toHaveLength(40);
      expect(stored?.state.eventCount).toBe(40);
    },
    60_000,
  );

  it.skipIf(skipReason !== undefined)('answers unchanged, and writes nothing, for a redelivered event', async () => {
    const store = dynamoGroupStateStore({ client: table.client, tableName });
    const full: StateMergeInput = {
      groupId: '@TGS#again',
      command: GroupCommand.GroupFull,
      eventTime: 1_670_574_414_123,
      deliveryId: 'f'.repeat(32),
      sortKey: eventSortKey(1_670_574_414_123, 'f'.repeat(32)),
    };
    await recordEventItems(table.client, tableName, [full]);
    expect(await store.applyEvent(full)).toBe('applied');
    expect(await store.applyEvent(full)).toBe('unchanged');
    const stored = await storedState('@TGS#again');
    expect(stored?.version).toBe(1);
    expect(stored?.state.fullCount).toBe(1);
  });

  it.skipIf(skipReason !== undefined)(
    'rebuilds a deleted, then a corrupted state item from the events, and leaves an equal one alone',
    async () => {
      // Prepare: three events applied, then the state item deleted
      const groupId = '@TGS#rebuild';
      const events = [
        attributeChange(groupId, 1, 'set', [{ key: 'a', value: '1' }]),
        attributeChange(groupId, 2, 'modify', [{ key: 'b', value: '2' }]),
        { ...attributeChange(groupId, 3, 'modify', []), command: GroupCommand.GroupFull },
      ];
      await recordEventItems(table.client, tableName, events);
      const store = dynamoGroupStateStore({ client: table.client, tableName });
      for (const event of events) await store.applyEvent(event);
      const expected = replayGroupEvents(events);
      await table.client.send(new DeleteItemCommand({ TableName: tableName, Key: groupStateKey(groupId) }));

      // Act
      const created = await rebuildGroupState({ client: table.client, tableName }, groupId);
      const corrupted = (await storedState(groupId))?.item ?? {};
      await table.client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...corrupted, fullCount: { N: '99' }, attributes: { L: [] } },
        }),
      );
      const repaired = await rebuildGroupState({ client: table.client, tableName }, groupId);
      const again = await rebuildGroupState({ client: table.client, tableName }, groupId);

      // Assess
      expect(created).toMatchObject({ outcome: 'created', before: undefined, after: expected, events: 3 });
      expect(repaired).toMatchObject({
        outcome: 'rebuilt',
        before: { fullCount: 99, attributes: {} },
        after: expected,
      });
      expect(again).toMatchObject({ outcome: 'unchanged', after: expected });
      const stored = await storedState(groupId);
      expect(stored && groupStateView(stored.state)).toEqual(expected);
      expect(stored?.mergeVersion).toBe(MERGE_VERSION);
    },
  );

  it.skipIf(skipReason !== undefined)(
    `keeps the state item within ${STATE_ITEM_BUDGET_BYTES} bytes whatever the events, reading them page by page`,
    async () => {
      // Prepare: 12 modifies of 12 distinct 16 KB attributes each (2.3 MB of attributes; Tencent allows 16 KB)
      const groupId = '@TGS#huge';
      const value = 'v'.repeat(InputLimit.attributeValueLength);
      const events = Array.from({ length: 12 }, (_, index) =>
        attributeChange(
          groupId,
          index,
          'modify',
          Array.from({ length: 12 }, (__, key) => ({ key: `k${String(index * 12 + key).padStart(3, '0')}`, value })),
        ),
      );
      await recordEventItems(table.client, tableName, events);
      const store = dynamoGroupStateStore({ client: table.client, tableName });

      // Act: each event applied (DynamoDB Local refuses an item over 400 KB), then a rebuild
      for (const event of events) await store.applyEvent(event);
      const rebuilt = await rebuildGroupState({ client: table.client, tableName }, groupId);

      // Assess: the attributes that fit, in key order, marked truncated; every later event replays the group
      const stored = await storedState(groupId);
      expect(rebuilt.outcome).toBe('unchanged');
      expect(stored).toMatchObject({ replayOnly: true, attributesTruncated: true, state: { eventCount: 12 } });
      const kept = Object.keys(stored?.state.attributes ?? {});
      expect(kept.length).toBeGreaterThan(10);
      expect(kept.length).toBeLessThan(144);
      expect(kept).toEqual(Array.from({ length: kept.length }, (_, key) => `k${String(key).padStart(3, '0')}`));
      expect(await dynamoGroupReader({ client: table.client, tableName }).readState(groupId)).toMatchObject({
        attributesTruncated: true,
        eventCount: 12,
      });
    },
    120_000,
  );
});
