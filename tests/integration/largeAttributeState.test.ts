import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { dynamoEventStore } from '../../lib/eventStore/dynamoEventStore.js';
import {
  groupStateView,
  replayGroupState,
  type StateMergeInput,
  stateMergeInputFromItem,
} from '../../lib/groupState/fold.js';
import { applyRecordedItemInline } from '../../lib/groupState/inlineUpdates.js';
import { groupStateFromItem, groupStateItem } from '../../lib/groupState/stateItem.js';
import { dynamoGroupStateStore, readStoredState } from '../../lib/groupState/store.js';
import { createGroupStateStreamHandler } from '../../lib/groupState/streamHandler.js';
import { GroupCommand } from '../../lib/tencent/commands.js';
import { groupAttrOfBody } from '../../lib/tencent/groupAttrChanged.js';
import { InputLimit } from '../../lib/tencent/limits.js';
import { createWebhookHandler } from '../../lib/webhook/handler.js';
import { describeOnEachEngine, useFreshTablePerTest } from '../support/dynaliteTable.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { tencentEvent } from '../support/tencentRequest.js';
import { testConfig } from '../support/testConfig.js';

const GROUP_ID = '@TGS#_large_attributes';
/** Far above any write's time on a busy machine: these tests are about the state, not the deadline. */
const GENEROUS_DEADLINE_MS = 60_000;

type Attributes = Record<string, string>;

const attrChangedBody = (optionType: string, attributes: Attributes, eventTime: number) => ({
  CallbackCommand: GroupCommand.GroupAttrChanged,
  GroupId: GROUP_ID,
  Type: 'Public',
  Operator_Account: 'admin',
  OptionType: optionType,
  GroupAttr: Object.entries(attributes).map(([key, value]) => ({ key, value })),
  EventTime: String(eventTime),
});

/** `count` keys whose values are `length` characters each, distinct per key and per event. */
const largeAttributes = (count: number, length: number, seed: string): Attributes =>
  Object.fromEntries(
    Array.from({ length: count }, (_, index) => [`key${index}`, `${seed}${index}:`.padEnd(length, seed)]),
  );

/**
 * The specification: each event's typed attributes read from its whole body (as if no item limit existed),
 * folded in sort-key order, then bounded as any state item is.
 */
const stateFoldedFromBodies = (items: Record<string, AttributeValue>[], bodies: Map<string, unknown>) => {
  const events = items.flatMap((item): StateMergeInput[] => {
    const event = stateMergeInputFromItem(item);
    if (event === undefined) return [];
    const { groupAttrOmitted: _, ...typed } = event;
    const body = bodies.get(String(event.eventTime)) as Record<string, unknown>;
    return [{ ...typed, groupAttr: groupAttrOfBody(body) }];
  });
  const replayed = replayGroupState(events);
  if (replayed === undefined) throw new Error('no event recorded');
  const bounded = groupStateFromItem(groupStateItem(replayed, 1, 0));
  return { view: groupStateView(bounded.state), attributesTruncated: bounded.attributesTruncated };
};

describeOnEachEngine('attribute changes too large for their event item, on %s', (engine) => {
  const table = useFreshTablePerTest(engine);

  const stateStore = () => dynamoGroupStateStore({ client: table.client, tableName: table.tableName });
  /** The webhook as `npm start` runs it: each recorded event also updates its group's state. */
  const inlineWebhook = () =>
    createWebhookHandler({
      config: testConfig({ tableName: table.tableName }),
      store: dynamoEventStore({
        client: table.client,
        tableName: table.tableName,
        deadlineMs: GENEROUS_DEADLINE_MS,
        onRecorded: applyRecordedItemInline(stateStore()),
      }),
    });
  /** The webhook as AWS runs it: one write per event, the state left to the stream. */
  const recordingWebhook = () =>
    createWebhookHandler({
      config: testConfig({ tableName: table.tableName }),
      store: dynamoEventStore({ client: table.client, tableName: table.tableName, deadlineMs: GENEROUS_DEADLINE_MS }),
    });
  const send = async (
    webhook: ReturnType<typeof createWebhookHandler>,
    bodies: Map<string, unknown>,
    body: ReturnType<typeof attrChangedBody>,
  ) => {
    bodies.set(body.EventTime, body);
    const answer = await invokeHandler(webhook, tencentEvent({ command: GroupCommand.GroupAttrChanged, body }));
    expect(answer.statusCode).toBe(200);
  };
  const eventItems = async () => (await table.scan()).filter((item) => item.sk?.S?.startsWith('EVENT#'));
  const storedState = async () => {
    const stored = await readStoredState(table.client, table.tableName, GROUP_ID);
    return stored && { view: groupStateView(stored.state), attributesTruncated: stored.attributesTruncated };
  };

  it('folds a set of 25 keys of 16,000 characters after a modify from its stored body, inline', async () => {
    // Prepare
    const bodies = new Map<string, unknown>();
    const webhook = inlineWebhook();

    // Act
    await send(webhook, bodies, attrChangedBody('modify', { color: 'red' }, 1_000));
    await send(webhook, bodies, attrChangedBody('set', largeAttributes(25, 16_000, 'a'), 2_000));

    // Assess
    const items = await eventItems();
    expect(items.map((item) => item.typedFieldsOmitted?.L?.map((name) => name.S))).toEqual([undefined, ['groupAttr']]);
    const expected = stateFoldedFromBodies(items, bodies);
    expect(Object.keys(expected.view.attributes).length).toBeGreaterThan(0);
    expect(expected.view.attributes.color).toBeUndefined();
    expect(await storedState()).toEqual(expected);
  });

  it('gives the same state through the stream function and through a rebuild', async () => {
    // Prepare
    const bodies = new Map<string, unknown>();
    const webhook = recordingWebhook();
    await send(webhook, bodies, attrChangedBody('modify', { color: 'red' }, 1_000));
    await send(webhook, bodies, attrChangedBody('set', largeAttributes(25, 16_000, 'b'), 2_000));
    await send(webhook, bodies, attrChangedBody('modify', largeAttributes(24, 16_000, 'c'), 3_000));
    const items = await eventItems();
    const records = items.map(
      (item, index): DynamoDBRecord => ({
        eventName: 'INSERT',
        dynamodb: { NewImage: item as never, SequenceNumber: String(index + 1) },
      }),
    );

    // Act
    const response = await createGroupStateStreamHandler({ store: stateStore() })({ Records: records });
    const afterStream = await storedState();
    const rebuilt = await stateStore().rebuildGroup(GROUP_ID);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(afterStream).toEqual(stateFoldedFromBodies(items, bodies));
    expect(rebuilt.outcome).toBe('unchanged');
  });

  it('equals the fold of the bodies for attribute events near and over the event item limit', async () => {
    const valueLength = InputLimit.attributeValueLength;
    // 18 to 28 keys of 16 KB: typed lists from about 290 KB (they fit) to about 460 KB (they do not).
    const attributeEvent = fc.record({
      optionType: fc.constantFrom('set', 'modify', 'delete'),
      keys: fc.integer({ min: 18, max: 28 }),
      seed: fc.constantFrom('p', 'q', 'r'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(attributeEvent, { minLength: 2, maxLength: 3 }), async (events) => {
        // Prepare
        await table.replaceTable();
        const bodies = new Map<string, unknown>();
        const webhook = inlineWebhook();

        // Act
        for (const [index, { optionType, keys, seed }] of events.entries()) {
          await send(webhook, bodies, attrChangedBody(optionType, largeAttributes(keys, valueLength, seed), index + 1));
        }

        // Assess
        expect(await storedState()).toEqual(stateFoldedFromBodies(await eventItems(), bodies));
      }),
      { numRuns: 4 },
    );
  });
});
