import { type GroupState, mergeGroupEvent } from './merge.js';
import type { StateMergeInput } from './mergeInput.js';

/** What folding several events of one group into its stored state gives. */
export type EventsMergeResult =
  | { kind: 'merged'; state: GroupState; folded: number }
  /** Every event was folded already: nothing changes. */
  | { kind: 'duplicate' }
  /** One of them cannot be placed without a replay of the group's events (see EVENT_KEY_MEMORY). */
  | { kind: 'replayNeeded' };

const bySortKey = (a: StateMergeInput, b: StateMergeInput): number => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0);

/**
 * The events of one group (a stream batch's), each folded exactly as mergeGroupEvent folds it, so the state is
 * the one a write per event would reach, and a stream batch of one group costs one write. They are folded
 * oldest first: the merge's result does not depend on the order, but its memory does, and a newer event folded
 * first could push out the key an older one of the same batch needs, forcing a replay.
 */
export const mergeGroupEvents = (state: GroupState | undefined, events: readonly StateMergeInput[]): EventsMergeResult => {
  let current = state;
  let folded = 0;
  for (const event of [...events].sort(bySortKey)) {
    const result = mergeGroupEvent(current, event);
    if (result.kind === 'replayNeeded') return result;
    if (result.kind === 'merged') {
      current = result.state;
      folded += 1;
    }
  }
  return current === undefined || folded === 0 ? { kind: 'duplicate' } : { kind: 'merged', state: current, folded };
};
