import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoGroupStateStore } from '../../lib/groupState/dynamoGroupStateStore.js';
import { eventSortKey } from '../../lib/eventStore/keys.js';
import { GroupCommand } from '../../lib/commands/constants.js';
import { groupStateView } from '../../lib/groupState/merge.js';
import type { StateMergeInput } from '../../lib/groupState/mergeInput.js';
import { groupStateFromItem } from '../../lib/groupState/stateItem.js';
import { type TestTable, startTestTable } from '../support/dynaliteTable.js';
import { groupEventDeliveries } from '../support/groupEventArbitrary.js';
import { replayGroupEvents } from '../support/replayGroupEvents.js';

let table: TestTable;
let tableName: string;

beforeAll(async () => {
  table = await startTestTable();
  tableName = await table.createTable();
});
afterAll(async () => {
  await table.close();
});

const storedState = async (groupId: string) => {
  const item = (await table.scan(tableName)).find((candidate) => candidate.pk?.S === `GROUP#${groupId}` && candidate.sk?.S === 'STATE');
  return item === undefined ? undefined : groupStateFromItem(item);
};

/** Runs the deliveries `concurrency` at a time, as concurrent webhook invocations or stream batches would. */
const deliverConcurrently = async (deliveries: StateMergeInput[], concurrency: number, apply: (event: StateMergeInput) => Promise<unknown>) => {
  const queue = [...deliveries];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await apply(next);
    }),
  );
};

let run = 0;

describe('dynamoGroupStateStore on a real DynamoDB API (dynalite)', () => {
  it('ends in the in-order state for events delivered in any order, duplicated, four at a time', async () => {
    const store = dynamoGroupStateStore({ client: table.client, tableName, maxAttempts: 30, backoff: () => new Promise((r) => setTimeout(r, Math.random() * 3)) });
    await fc.assert(
      fc.asyncProperty(groupEventDeliveries(12), async ({ events, deliveries }) => {
        // Prepare: one fresh group per run, in the shared table
        run += 1;
        const groupId = `@TGS#prop${run}`;
        const mine = (event: StateMergeInput) => ({ ...event, groupId });

        // Act
        await deliverConcurrently(deliveries.map(mine), 4, (event) => store.applyEvent(event));

        // Assess
        const stored = await storedState(groupId);
        expect(stored && groupStateView(stored.state)).toEqual(replayGroupEvents(events.map(mine)));
      }),
      { numRuns: 25 },
    );
  }, 60_000);

  it('loses no update when 20 attribute changes of one group race each other', async () => {
    // Prepare
    const store = dynamoGroupStateStore({ client: table.client, tableName, maxAttempts: 40, backoff: () => new Promise((r) => setTimeout(r, Math.random() * 5)) });
    const groupId = '@TGS#race';
    const changes = Array.from({ length: 20 }, (_, index) => {
      const deliveryId = index.toString(16).padStart(32, '0');
      return {
        groupId,
        command: GroupCommand.GroupAttrChanged,
        eventTime: 1_000 + index,
        deliveryId,
        sortKey: eventSortKey(1_000 + index, deliveryId),
        optionType: 'modify',
        groupAttr: [{ key: `key${index}`, value: String(index) }],
      } satisfies StateMergeInput;
    });

    // Act
    const results = await Promise.all(changes.map((change) => store.applyEvent(change)));

    // Assess
    expect(results.every((result) => result === 'applied')).toBe(true);
    const stored = await storedState(groupId);
    expect(Object.keys(stored?.state.attributes ?? {})).toHaveLength(20);
    expect(stored?.version).toBe(20);
  }, 30_000);

  it('answers unchanged, and writes nothing, for a redelivered event', async () => {
    const store = dynamoGroupStateStore({ client: table.client, tableName });
    const full: StateMergeInput = {
      groupId: '@TGS#again',
      command: GroupCommand.GroupFull,
      eventTime: 1_670_574_414_123,
      deliveryId: 'f'.repeat(32),
      sortKey: eventSortKey(1_670_574_414_123, 'f'.repeat(32)),
    };
    expect(await store.applyEvent(full)).toBe('applied');
    expect(await store.applyEvent(full)).toBe('unchanged');
    const stored = await storedState('@TGS#again');
    expect(stored?.version).toBe(1);
    expect(stored?.state.fullCount).toBe(1);
  });
});
