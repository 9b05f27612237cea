import fc from 'fast-check';
import { eventSortKey } from '../../lib/dynamo/tableKeys.js';
import type { StateMergeInput } from '../../lib/groupState/fold.js';
import { GroupCommand } from '../../lib/tencent/commands.js';

export const PROPERTY_GROUP_ID = '@TGS#2J4SZEAEL';

/** Few keys, so events collide on them; `__proto__` and `constructor` check the map is a plain data map. */
const attributeKey = fc.constantFrom('a', 'b', 'c', 'level', '__proto__', 'constructor');
/** Keys-only entries too: Tencent's delete sends them; a set or modify entry without a value changes nothing. */
const attributeList = fc.array(
  fc.record({ key: attributeKey, value: fc.constantFrom('1', '2', 'x', '') }, { requiredKeys: ['key'] }),
  { maxLength: 4 },
);
const groupType = fc.option(fc.constantFrom('Public', 'Private', 'ChatRoom', 'Community'), { nil: undefined });

const eventBody = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record(
      { command: fc.constant(GroupCommand.GroupFull), topicId: fc.constantFrom('@TGS#_topic1', '@TGS#_topic2') },
      { requiredKeys: ['command'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      command: fc.constant(GroupCommand.GroupDestroyed),
      groupType,
      ownerAccount: fc.option(fc.constantFrom('leckie', 'peter'), { nil: undefined }),
      groupName: fc.option(fc.constantFrom('MyFirstGroup', 'Renamed'), { nil: undefined }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      command: fc.constant(GroupCommand.GroupAttrChanged),
      groupType,
      optionType: fc.constantFrom('set', 'modify', 'delete', 'clear', 'rename'),
      groupAttr: attributeList,
    }),
  },
);

/**
 * One group's distinct events: EventTimes from a narrow range (so many tie and the deliveryId decides),
 * deliveryIds unique as the digests are. At least `minLength` (a busy group's many events).
 */
export const groupEvents = (maxLength: number, minLength = 1): fc.Arbitrary<StateMergeInput[]> =>
  fc
    .uniqueArray(
      fc.record({
        eventTime: fc.integer({ min: 1_670_574_414_000, max: 1_670_574_414_012 }),
        deliveryId: fc.stringMatching(/^[0-9a-f]{32}$/),
        body: eventBody,
      }),
      { minLength, maxLength, selector: (event) => event.deliveryId },
    )
    .map((events) =>
      events.map(({ eventTime, deliveryId, body }) => ({
        groupId: PROPERTY_GROUP_ID,
        eventTime,
        deliveryId,
        sortKey: eventSortKey(eventTime, deliveryId),
        ...body,
      })),
    );

/** The events as they might arrive: each at least once, some several times, in any order. */
export const deliveriesOf = (events: StateMergeInput[]): fc.Arbitrary<StateMergeInput[]> =>
  fc.array(fc.nat({ max: events.length - 1 }), { maxLength: events.length }).chain((repeats) => {
    const all = [...events, ...repeats.map((index) => events[index] as StateMergeInput)];
    return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
  });

/** Events and one way of delivering them. */
export const groupEventDeliveries = (maxLength: number) =>
  groupEvents(maxLength).chain((events) => deliveriesOf(events).map((deliveries) => ({ events, deliveries })));

/**
 * Deliveries as a stream hands them to the groupState function: cut into batches of 1 to `maxBatch` records,
 * and after some batches the same batch again, whole or from one of its records on (Lambda retrying from a
 * reported failure). The duplicates of `deliveriesOf` fall within and across batches.
 */
export const streamBatchesOf = (deliveries: StateMergeInput[], maxBatch: number): fc.Arbitrary<StateMergeInput[][]> =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: maxBatch }), { minLength: deliveries.length, maxLength: deliveries.length }),
      fc.array(
        fc.oneof(
          { weight: 2, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.nat({ max: maxBatch - 1 }) },
        ),
        {
          minLength: deliveries.length,
          maxLength: deliveries.length,
        },
      ),
    )
    .map(([sizes, redeliveredFrom]) => {
      const batches: StateMergeInput[][] = [];
      let start = 0;
      for (const [index, size] of sizes.entries()) {
        if (start >= deliveries.length) break;
        const batch = deliveries.slice(start, start + size);
        start += size;
        batches.push(batch);
        const from = redeliveredFrom[index];
        if (from !== undefined) batches.push(batch.slice(Math.min(from, batch.length - 1)));
      }
      return batches;
    });
