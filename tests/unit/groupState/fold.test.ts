import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventSortKey } from '../../../lib/dynamo/tableKeys.js';
import type { StateMergeInput } from '../../../lib/groupState/fold.js';
import {
  applyGroupEvent,
  EVENT_KEY_MEMORY,
  type GroupState,
  groupStateView,
  mergeGroupEvent,
  mergeGroupEvents,
  replayGroupState,
} from '../../../lib/groupState/fold.js';
import streamEventSource from '../../../lib/groupState/streamEventSource.json' with { type: 'json' };
import { GroupCommand } from '../../../lib/tencent/commands.js';
import { deliveriesOf, groupEventDeliveries, groupEvents, streamBatchesOf } from '../../support/groupEventArbitrary.js';
import { replayGroupEvents } from '../../support/replayGroupEvents.js';

const GROUP_ID = '@TGS#2J4SZEAEL';

const event = (eventTime: number, deliveryId: string, fields: Partial<StateMergeInput>): StateMergeInput => ({
  groupId: GROUP_ID,
  command: GroupCommand.GroupAttrChanged,
  eventTime,
  deliveryId,
  sortKey: eventSortKey(eventTime, deliveryId),
  ...fields,
});
const attrs = (optionType: string, entries: Record<string, string> = {}) => ({
  command: GroupCommand.GroupAttrChanged,
  optionType,
  groupAttr: Object.entries(entries).map(([key, value]) => ({ key, value })),
});
const fold = (events: StateMergeInput[]): GroupState =>
  events.reduce<GroupState | undefined>((state, next) => applyGroupEvent(state, next), undefined) as GroupState;

describe('applyGroupEvent', () => {
  it('equals an in-order replay whatever the delivery order and however many duplicates', () => {
    fc.assert(
      fc.property(groupEventDeliveries(30), ({ events, deliveries }) => {
        // Act
        const state = fold(deliveries);

        // Assess
        expect(groupStateView(state)).toEqual(replayGroupEvents(events));
      }),
      { numRuns: 400 },
    );
  });

  it('reaches the same bookkeeping whatever the order, so a stored state never depends on arrival', () => {
    fc.assert(
      fc.property(groupEventDeliveries(20), ({ events, deliveries }) => {
        const inOrder = fold([...events].sort((a, b) => (a.sortKey < b.sortKey ? -1 : 1)));
        const shuffled = fold(deliveries);
        expect(shuffled.bookkeeping.attributeChanges).toEqual(inOrder.bookkeeping.attributeChanges);
        expect(shuffled.bookkeeping.attributesResetBy).toEqual(inOrder.bookkeeping.attributesResetBy);
      }),
      { numRuns: 200 },
    );
  });

  it('does not let a modify older than a later set resurrect a key the set left out', () => {
    // Prepare
    const set = event(2000, 'b'.repeat(32), attrs('set', { level: '1' }));
    const olderModify = event(1000, 'a'.repeat(32), attrs('modify', { color: 'red', level: '0' }));

    // Act
    const state = fold([set, olderModify]);

    // Assess
    expect(state.attributes).toEqual({ level: '1' });
  });

  it('does not let a modify older than a later delete bring the key back (tombstone)', () => {
    const state = fold([
      event(1000, 'a'.repeat(32), attrs('modify', { color: 'red' })),
      event(3000, 'c'.repeat(32), attrs('delete', { color: '' })),
      event(2000, 'b'.repeat(32), attrs('modify', { color: 'blue' })),
    ]);
    expect(state.attributes).toEqual({});
    expect(state.bookkeeping.attributeChanges).toEqual({ color: { changedBy: eventSortKey(3000, 'c'.repeat(32)) } });
  });

  it('keeps the newer value when an older clear arrives late, and prunes what the clear hides', () => {
    const state = fold([
      event(1000, 'a'.repeat(32), attrs('modify', { old: '1' })),
      event(3000, 'c'.repeat(32), attrs('modify', { color: 'red' })),
      event(2000, 'b'.repeat(32), attrs('clear')),
    ]);
    expect(state.attributes).toEqual({ color: 'red' });
    expect(Object.keys(state.bookkeeping.attributeChanges)).toEqual(['color']);
  });

  it('keeps a disband whatever group-full arrives after it, earlier or later', () => {
    const state = fold([
      event(2000, 'b'.repeat(32), {
        command: GroupCommand.GroupDestroyed,
        groupName: 'MyFirstGroup',
        ownerAccount: 'leckie',
      }),
      event(3000, 'c'.repeat(32), { command: GroupCommand.GroupFull }),
      event(1000, 'a'.repeat(32), { command: GroupCommand.GroupFull }),
    ]);
    expect(groupStateView(state)).toMatchObject({
      destroyed: true,
      destroyedAt: 2000,
      lastFullAt: 3000,
      fullCount: 2,
      name: 'MyFirstGroup',
      owner: 'leckie',
      lastEventTime: 3000,
    });
  });

  it('breaks an EventTime tie by deliveryId', () => {
    const state = fold([
      event(1000, 'b'.repeat(32), attrs('modify', { k: 'second' })),
      event(1000, 'a'.repeat(32), attrs('modify', { k: 'first' })),
    ]);
    expect(state.attributes).toEqual({ k: 'second' });
  });

  it('counts a redelivery once among the EVENT_KEY_MEMORY newest events, and asks for a replay beyond', () => {
    // Prepare
    const fulls = Array.from({ length: EVENT_KEY_MEMORY + 1 }, (_, index) =>
      event(1000 + index, index.toString(16).padStart(32, '0'), { command: GroupCommand.GroupFull }),
    );
    const [first, ...rest] = fulls as [StateMergeInput, ...StateMergeInput[]];

    // Act
    const withinMemory = fold([first, ...rest.slice(0, EVENT_KEY_MEMORY - 1), first]);
    const beyondMemory = fold([first, ...rest]);

    // Assess: the oldest event has left the memory, so only a replay can tell whether it was counted
    expect(withinMemory).toMatchObject({ fullCount: EVENT_KEY_MEMORY, eventCount: EVENT_KEY_MEMORY });
    expect(mergeGroupEvent(beyondMemory, first)).toEqual({ kind: 'replayNeeded' });
    expect(replayGroupState([first, ...rest])).toMatchObject({
      fullCount: EVENT_KEY_MEMORY + 1,
      eventCount: EVENT_KEY_MEMORY + 1,
    });
  });

  it('folds a late event that is newer than the oldest remembered one, even with the memory full', () => {
    const fulls = Array.from({ length: EVENT_KEY_MEMORY + 2 }, (_, index) =>
      event(1000 + 2 * index, index.toString(16).padStart(32, '0'), { command: GroupCommand.GroupFull }),
    );
    const late = event(1000 + 2 * EVENT_KEY_MEMORY - 1, 'e'.repeat(32), { command: GroupCommand.GroupFull });
    const result = mergeGroupEvent(fold(fulls), late);
    expect(result.kind).toBe('merged');
    expect(result.kind === 'merged' && result.state.fullCount).toBe(EVENT_KEY_MEMORY + 3);
  });

  it('does not change the state for a redelivery (same object content)', () => {
    const full = event(1000, 'a'.repeat(32), { command: GroupCommand.GroupFull });
    const once = fold([full]);
    expect(applyGroupEvent(once, full)).toEqual(once);
  });

  it('asks for a replay of an old event also in a state kept with a smaller memory (events forgotten)', () => {
    // Prepare: 100 events counted, only the newest 10 remembered (as a merge with a memory of 10 would keep them)
    const fulls = Array.from({ length: 100 }, (_, index) =>
      event(1000 + index, index.toString(16).padStart(32, '0'), { command: GroupCommand.GroupFull }),
    );
    const all = fold(fulls);
    const keptTen: GroupState = {
      ...all,
      bookkeeping: { ...all.bookkeeping, latestEventKeys: all.bookkeeping.latestEventKeys.slice(-10) },
    };

    // Act
    const old = mergeGroupEvent(keptTen, fulls[50] as StateMergeInput);

    // Assess: the 50th may have been counted; only a replay can tell
    expect(old).toEqual({ kind: 'replayNeeded' });
  });
});

describe('mergeGroupEvents (a stream batch of one group)', () => {
  /** What the groupState function does with each batch; a replay reads every recorded event. */
  const foldBatches = (events: StateMergeInput[], batches: StateMergeInput[][], { replays = true } = {}) => {
    let state: GroupState | undefined;
    const outcomes: string[] = [];
    for (const batch of batches) {
      const result = mergeGroupEvents(state, batch);
      outcomes.push(result.kind);
      if (!replays) expect(result.kind).not.toBe('replayNeeded');
      if (result.kind === 'merged') state = result.state;
      if (result.kind === 'replayNeeded') state = replayGroupState(events);
    }
    return { state, outcomes };
  };

  it(
    'equals an in-order replay for batches of many records, duplicates within and across batches, batches sent ' +
      'again whole or in part',
    () => {
      fc.assert(
        fc.property(
          groupEvents(300, 150)
            .chain((events) => deliveriesOf(events).map((deliveries) => ({ events, deliveries })))
            .chain(({ events, deliveries }) =>
              streamBatchesOf(deliveries, streamEventSource.batchSize).map((batches) => ({ events, batches })),
            ),
          ({ events, batches }) => {
            const { state } = foldBatches(events, batches);
            expect(state && groupStateView(state)).toEqual(replayGroupEvents(events));
          },
        ),
        { numRuns: 60 },
      );
    },
  );

  it("remembers at least a stream batch's worth of events (the event source mapping's batchSize)", () => {
    expect(EVENT_KEY_MEMORY).toBeGreaterThanOrEqual(streamEventSource.batchSize);
  });

  it(
    `recognises a batch of up to the stream's batch size (${streamEventSource.batchSize}) sent again, without ` +
      `a replay`,
    () => {
      fc.assert(
        fc.property(
          // In order, as a busy group's events mostly arrive, more of them than the memory holds
          groupEvents(3 * streamEventSource.batchSize, 2 * streamEventSource.batchSize + 1)
            .map((events) => [...events].sort((a, b) => (a.sortKey < b.sortKey ? -1 : 1)))
            .chain((events) =>
              streamBatchesOf(events, streamEventSource.batchSize).map((batches) => ({ events, batches })),
            ),
          ({ events, batches }) => {
            const { state } = foldBatches(events, batches, { replays: false });
            expect(state && groupStateView(state)).toEqual(replayGroupEvents(events));
          },
        ),
        { numRuns: 40, endOnFailure: true },
      );
    },
  );

  it('folds a batch oldest first, so a newer event cannot push out the key an older one of the batch needs', () => {
    // Prepare: more events folded than the memory holds (times 10, 20, …), so the oldest are forgotten
    const earlier = Array.from({ length: EVENT_KEY_MEMORY + 1 }, (_, index) =>
      event(10 * (index + 1), `d${index}`, attrs('modify', { [`k${index}`]: 'v' })),
    );
    const state = fold(earlier);
    // The newest first, then one just newer than the oldest remembered (20): after the newest, 20 is forgotten
    const batch = [
      event(100_000, 'newest', attrs('modify', { last: 'v' })),
      event(25, 'late', attrs('modify', { late: 'v' })),
    ];

    // Act
    const result = mergeGroupEvents(state, batch);

    // Assess
    expect(result.kind).toBe('merged');
    expect(result.kind === 'merged' && groupStateView(result.state)).toEqual(replayGroupEvents([...earlier, ...batch]));
  });

  it('folds every event of the batch exactly as one merge after another does', () => {
    fc.assert(
      fc.property(groupEventDeliveries(40), ({ deliveries }) => {
        const oneByOne = deliveries.reduce<GroupState | undefined>((state, next) => {
          const result = mergeGroupEvent(state, next);
          return result.kind === 'merged' ? result.state : state;
        }, undefined);
        const batch = mergeGroupEvents(undefined, deliveries);
        expect(batch.kind === 'merged' && batch.state).toEqual(oneByOne);
      }),
    );
  });
});
