import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { GroupStateUpdates, readGroupStateUpdates } from '../../lib/config.js';
import { StoreError } from '../../lib/dynamo/errors.js';
import { dynamoEventStore } from '../../lib/eventStore/dynamoEventStore.js';
import { applyRecordedItemInline } from '../../lib/groupState/inlineUpdates.js';
import { groupStateFromItem } from '../../lib/groupState/stateItem.js';
import { dynamoGroupStateStore, type GroupStateStore } from '../../lib/groupState/store.js';
import { createGroupStateStreamHandler, GROUPS_IN_PARALLEL } from '../../lib/groupState/streamHandler.js';
import { createWebhookHandler } from '../../lib/webhook/handler.js';
import { useFreshTablePerTest } from '../support/dynaliteTable.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { tencentEvent } from '../support/tencentRequest.js';
import { testConfig } from '../support/testConfig.js';
import { testEventStore } from '../support/testEventStore.js';

const NOW = 1_763_800_000_000;
const GROUP_ID = '@TGS#2J4SZEAEL';

const table = useFreshTablePerTest();

const stateOf = async (groupId: string) => {
  const item = (await table.scan()).find(
    (candidate) => candidate.pk?.S === `GROUP#${groupId}` && candidate.sk?.S === 'STATE',
  );
  return item === undefined ? undefined : groupStateFromItem(item);
};
const eventItems = async () => (await table.scan()).filter((item) => item.sk?.S?.startsWith('EVENT#'));

const attrChanged = (optionType: string, attributes: Record<string, string>, eventTime: string) =>
  tencentEvent({
    command: 'Group.CallbackAfterGroupAttrChanged',
    body: {
      CallbackCommand: 'Group.CallbackAfterGroupAttrChanged',
      GroupId: GROUP_ID,
      Type: 'Public',
      Operator_Account: 'leckie',
      OptionType: optionType,
      GroupAttr: Object.entries(attributes).map(([key, value]) => ({ key, value })),
      EventTime: eventTime,
    },
  });

describe('GROUP_STATE_UPDATES', () => {
  it('is stream unless set to inline', () => {
    expect(readGroupStateUpdates({})).toBe(GroupStateUpdates.Stream);
    expect(readGroupStateUpdates({ GROUP_STATE_UPDATES: 'inline' })).toBe(GroupStateUpdates.Inline);
    expect(readGroupStateUpdates({ GROUP_STATE_UPDATES: 'anything' })).toBe(GroupStateUpdates.Stream);
  });
});

describe('inline updates: the webhook applies the state right after recording', () => {
  const receiver = (stateStore: GroupStateStore) =>
    createWebhookHandler({
      config: testConfig({ tableName: table.tableName }),
      store: testEventStore({
        client: table.client,
        tableName: table.tableName,
        onRecorded: applyRecordedItemInline(stateStore),
      }),
      now: () => NOW,
    });

  it('derives the state from recorded events, late and repeated ones included', async () => {
    // Prepare
    const handler = receiver(dynamoGroupStateStore({ client: table.client, tableName: table.tableName }));

    // Act: a set, then an older modify arriving late, then the set again (a Tencent retry)
    await invokeHandler(handler, attrChanged('set', { level: '1' }, '2000'));
    await invokeHandler(handler, attrChanged('modify', { color: 'red', level: '0' }, '1000'));
    await invokeHandler(handler, attrChanged('set', { level: '1' }, '2000'));

    // Assess
    const stored = await stateOf(GROUP_ID);
    expect(stored?.state).toMatchObject({
      groupId: GROUP_ID,
      type: 'Public',
      attributes: { level: '1' },
      lastEventTime: 2000,
    });
    // The late modify is hidden by the set but counted; the retry is a duplicate and writes nothing: two writes.
    expect(stored?.state.eventCount).toBe(2);
    expect(stored?.version).toBe(2);
  });

  it('updates the state for a duplicate whose first write landed unseen; only reads for a true one', async () => {
    // Prepare: the event is in the table (an earlier attempt's write landed after its timeout), its state never written
    await invokeHandler(
      createWebhookHandler({
        config: testConfig({ tableName: table.tableName }),
        store: testEventStore({ client: table.client, tableName: table.tableName }),
        now: () => NOW,
      }),
      tencentEvent(),
    );
    const handler = receiver(dynamoGroupStateStore({ client: table.client, tableName: table.tableName }));

    // Act: Tencent's retry, a duplicate, then another
    const retry = await invokeHandler(handler, tencentEvent());
    const repaired = await stateOf(GROUP_ID);
    await invokeHandler(handler, tencentEvent());

    // Assess
    expect(retry.statusCode).toBe(200);
    expect(repaired?.state).toMatchObject({ fullCount: 1, eventCount: 1 });
    expect((await stateOf(GROUP_ID))?.version).toBe(1);
  });

  it(
    "queues one group's concurrent updates in the process: 40 deliveries at once, one attempt " + 'each, none lost',
    async () => {
      // Prepare: a store that gives up after its first lost race, as a contended update would
      const handler = receiver(
        dynamoGroupStateStore({
          client: table.client,
          tableName: table.tableName,
          maxAttempts: 1,
          replayAfterLostRaces: 1,
        }),
      );

      // Act
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          invokeHandler(handler, attrChanged('modify', { [`k${index}`]: String(index) }, String(1_000 + index))),
        ),
      );

      // Assess: every update read the item the one before it wrote
      expect(answers.map((answer) => answer.statusCode)).toEqual(answers.map(() => 200));
      const stored = await stateOf(GROUP_ID);
      expect(stored?.state.eventCount).toBe(40);
      expect(Object.keys(stored?.state.attributes ?? {})).toHaveLength(40);
      expect(stored?.version).toBe(40);
    },
  );

  it('answers OK when the state update fails, and replays the group in the background until it succeeds', async () => {
    // Prepare: the update fails, and so does the first background replay
    const real = dynamoGroupStateStore({ client: table.client, tableName: table.tableName });
    let repaired: (result: unknown) => void = () => {};
    const repairedState = new Promise((resolve) => (repaired = resolve));
    const rebuildGroup = vi
      .fn<GroupStateStore['rebuildGroup']>()
      .mockRejectedValueOnce(new StoreError('still down'))
      .mockImplementation(async (groupId) => {
        const result = await real.rebuildGroup(groupId);
        repaired(result);
        return result;
      });
    const handler = createWebhookHandler({
      config: testConfig({ tableName: table.tableName }),
      store: testEventStore({
        client: table.client,
        tableName: table.tableName,
        onRecorded: applyRecordedItemInline(
          {
            applyEvent: async () => Promise.reject(new StoreError('down')),
            applyEvents: async () => Promise.reject(new StoreError('down')),
            rebuildGroup,
          },
          [0, 0],
        ),
      }),
      now: () => NOW,
    });

    // Act
    const answer = await invokeHandler(handler, tencentEvent());

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(await eventItems()).toHaveLength(1);
    expect(await repairedState).toMatchObject({ outcome: 'created', after: { fullCount: 1, eventCount: 1 } });
    expect(rebuildGroup).toHaveBeenCalledTimes(2);
  });

  it('updates the state of an event whose write landed after the deadline (answered 5xx, yet recorded)', async () => {
    // Prepare: DynamoDB answers the event's PutItem after 300 ms; the store's deadline is 50 ms
    let slowPuts = 1;
    table.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutItemCommand' && slowPuts > 0) {
          slowPuts -= 1;
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        return next(args);
      },
      { step: 'initialize', name: 'slowFirstPut' },
    );
    let updated: () => void = () => {};
    const stateUpdated = new Promise<void>((resolve) => (updated = resolve));
    const inline = applyRecordedItemInline(dynamoGroupStateStore({ client: table.client, tableName: table.tableName }));
    const handler = createWebhookHandler({
      config: testConfig({ tableName: table.tableName }),
      store: dynamoEventStore({
        client: table.client,
        tableName: table.tableName,
        deadlineMs: 50,
        onRecorded: async (item) => {
          await inline(item);
          updated();
        },
      }),
      now: () => NOW,
    });

    try {
      // Act
      const answer = await invokeHandler(handler, tencentEvent());
      await stateUpdated;

      // Assess
      expect(answer.statusCode).toBe(500);
      expect(await eventItems()).toHaveLength(1);
      expect((await stateOf(GROUP_ID))?.state).toMatchObject({ fullCount: 1, eventCount: 1 });
    } finally {
      table.client.middlewareStack.remove('slowFirstPut');
    }
  });
});

describe('stream updates: the groupState function', () => {
  /** Stream records as DynamoDB Streams would send them for the items in the table (NEW_AND_OLD_IMAGES). */
  const insertRecord = (item: Record<string, AttributeValue>, sequence: number): DynamoDBRecord => ({
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: { pk: item.pk, sk: item.sk } as never,
      NewImage: item as never,
      SequenceNumber: String(sequence).padStart(21, '0'),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  });

  const recordWithoutState = async (events: ReturnType<typeof tencentEvent>[]) => {
    const handler = createWebhookHandler({
      config: testConfig({ tableName: table.tableName }),
      store: testEventStore({ client: table.client, tableName: table.tableName }),
      now: () => NOW,
    });
    for (const event of events) await invokeHandler(handler, event);
    return eventItems();
  };

  it("applies a batch, redelivered and with the state item's own records in it, to the in-order state", async () => {
    // Prepare: events recorded by the webhook in stream mode (no state yet)
    const items = await recordWithoutState([
      attrChanged('modify', { color: 'red' }, '3000'),
      attrChanged('clear', {}, '2000'),
      tencentEvent({ body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: GROUP_ID, EventTime: '2500' } }),
    ]);
    expect(await stateOf(GROUP_ID)).toBeUndefined();
    const handler = createGroupStateStreamHandler({
      store: dynamoGroupStateStore({ client: table.client, tableName: table.tableName }),
    });
    const records = items.map((item, index) => insertRecord(item, index + 1));

    // Act: the batch, then the same batch again (at-least-once), then a record of the state item itself
    const first = await handler({ Records: records } satisfies DynamoDBStreamEvent);
    const again = await handler({ Records: [...records].reverse() });
    const stateItem = (await table.scan()).find((item) => item.sk?.S === 'STATE');
    const ignored = await handler({ Records: [{ ...insertRecord(stateItem ?? {}, 9), eventName: 'MODIFY' }] });

    // Assess
    expect([first, again, ignored]).toEqual([
      { batchItemFailures: [] },
      { batchItemFailures: [] },
      { batchItemFailures: [] },
    ]);
    const stored = await stateOf(GROUP_ID);
    expect(stored?.state).toMatchObject({
      attributes: { color: 'red' },
      fullCount: 1,
      lastFullAt: 2500,
      lastEventTime: 3000,
      eventCount: 3,
    });
    // One write for the batch's three events; the redelivery and the state's own record wrote nothing.
    expect(stored?.version).toBe(1);
  });

  it('replays the group when merging a record fails, and reports no failure', async () => {
    const items = await recordWithoutState([
      tencentEvent({ body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: 'g1', EventTime: '1' } }),
    ]);
    const real = dynamoGroupStateStore({ client: table.client, tableName: table.tableName });
    const throttled = async () => Promise.reject(new StoreError('throttled'));
    const handler = createGroupStateStreamHandler({
      store: { applyEvent: throttled, applyEvents: throttled, rebuildGroup: real.rebuildGroup },
    });

    const response = await handler({ Records: items.map((item, index) => insertRecord(item, index + 1)) });

    expect(response).toEqual({ batchItemFailures: [] });
    expect((await stateOf('g1'))?.state).toMatchObject({ fullCount: 1, eventCount: 1 });
  });

  it('skips a record no retry can apply (DynamoDB refuses the request), so the shard moves on', async () => {
    // Prepare: g1's update is refused whatever is tried; g2's works
    const items = await recordWithoutState([
      tencentEvent({ body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: 'g1', EventTime: '1' } }),
      tencentEvent({ body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: 'g2', EventTime: '2' } }),
    ]);
    const real = dynamoGroupStateStore({ client: table.client, tableName: table.tableName });
    const refused = () =>
      new StoreError('DynamoDB PutItem of the group state failed', {
        cause: Object.assign(new Error('Item size has exceeded the maximum allowed size'), {
          name: 'ValidationException',
        }),
      });
    const store: GroupStateStore = {
      applyEvent: async (event) => (event.groupId === 'g1' ? Promise.reject(refused()) : real.applyEvent(event)),
      applyEvents: async (groupId, events) =>
        groupId === 'g1' ? Promise.reject(refused()) : real.applyEvents(groupId, events),
      rebuildGroup: async (groupId) => (groupId === 'g1' ? Promise.reject(refused()) : real.rebuildGroup(groupId)),
    };

    // Act
    const response = await createGroupStateStreamHandler({ store })({
      Records: items.map((item, index) => insertRecord(item, index + 1)),
    });

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await stateOf('g1')).toBeUndefined();
    expect((await stateOf('g2'))?.state).toMatchObject({ fullCount: 1 });
  });

  it(
    'tries every group, and reports the earliest record of the groups that failed for a reason that passes ' +
      '(throttling)',
    async () => {
      // Prepare: g2 and g3 fail, g3 first; g1 and g4 work
      const items = await recordWithoutState(
        ['g1', 'g2', 'g3', 'g2', 'g4'].map((groupId, index) =>
          tencentEvent({
            body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: groupId, EventTime: String(index + 1) },
          }),
        ),
      );
      const real = dynamoGroupStateStore({ client: table.client, tableName: table.tableName });
      const throttled = (afterMs: number) =>
        new Promise<never>((_, reject) => setTimeout(() => reject(new StoreError('throttled')), afterMs));
      const store: GroupStateStore = {
        applyEvent: real.applyEvent,
        applyEvents: async (groupId, events) =>
          groupId === 'g2' ? throttled(30) : groupId === 'g3' ? throttled(0) : real.applyEvents(groupId, events),
        rebuildGroup: async (groupId) =>
          groupId === 'g2' || groupId === 'g3' ? throttled(0) : real.rebuildGroup(groupId),
      };
      const records = items.map((item) => insertRecord(item, Number(item.eventTime?.N) * 10));

      // Act
      const response = await createGroupStateStreamHandler({ store })({ Records: records });

      // Assess: Lambda retries from g2's first record (sequence 20), before g3's (30)
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '000000000000000000020' }] });
      expect((await stateOf('g1'))?.state).toMatchObject({ fullCount: 1 });
      expect((await stateOf('g4'))?.state).toMatchObject({ fullCount: 1 });
    },
  );

  it(
    "folds a batch's records of one group with one read and one write, whatever their number and " + 'duplicates',
    async () => {
      // Prepare: 120 group-fulls of one group (15 of them twice in the batch), interleaved with 3 of another
      const hot = Array.from({ length: 120 }, (_, index) =>
        tencentEvent({
          body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: GROUP_ID, EventTime: String(1000 + index) },
        }),
      );
      const other = Array.from({ length: 3 }, (_, index) =>
        tencentEvent({
          body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: 'other', EventTime: String(index + 1) },
        }),
      );
      const items = await recordWithoutState([...hot, ...other]);
      const bySortKey = [...items].sort((a, b) => Number(a.eventTime?.N) - Number(b.eventTime?.N));
      const batch = [
        ...bySortKey.slice(3, 60),
        ...bySortKey.slice(0, 3),
        ...bySortKey.slice(40, 55),
        ...bySortKey.slice(60),
      ];
      const handler = createGroupStateStreamHandler({
        store: dynamoGroupStateStore({ client: table.client, tableName: table.tableName }),
      });

      // Act
      const response = await handler({ Records: batch.map((item, index) => insertRecord(item, index + 1)) });

      // Assess: each state written once (version 1) and counting each event once
      expect(response).toEqual({ batchItemFailures: [] });
      expect(await stateOf(GROUP_ID)).toMatchObject({
        version: 1,
        state: { fullCount: 120, eventCount: 120, lastFullAt: 1119 },
      });
      expect(await stateOf('other')).toMatchObject({ version: 1, state: { fullCount: 3, eventCount: 3 } });
    },
  );

  it(`updates at most ${GROUPS_IN_PARALLEL} groups of a batch at a time`, async () => {
    // Prepare: 20 groups, the real store watched for how many updates run at once
    const items = await recordWithoutState(
      Array.from({ length: 20 }, (_, index) =>
        tencentEvent({
          body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: `g${index}`, EventTime: String(index + 1) },
        }),
      ),
    );
    const real = dynamoGroupStateStore({ client: table.client, tableName: table.tableName });
    let running = 0;
    let most = 0;
    const watched: GroupStateStore = {
      ...real,
      async applyEvents(groupId, events) {
        running += 1;
        most = Math.max(most, running);
        try {
          return await real.applyEvents(groupId, events);
        } finally {
          running -= 1;
        }
      },
    };

    // Act
    const response = await createGroupStateStreamHandler({ store: watched })({
      Records: items.map((item, index) => insertRecord(item, index + 1)),
    });

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(most).toBe(GROUPS_IN_PARALLEL);
    expect((await table.scan()).filter((item) => item.sk?.S === 'STATE')).toHaveLength(20);
  });
});
