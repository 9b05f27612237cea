import { type GroupState, mergeGroupEvent } from './merge.js';
import type { StateMergeInput } from './mergeInput.js';

/** What folding several events of one group into its stored state gives. */
export type EventsMergeResult =
  | { kind: 'merged'; state: GroupState; folded: number }
  /** Every event was folded already: nothing changes. */
  | { kind: 'duplicate' }
  /** One of them cannot be placed without a replay of the group's events (see EVENT_KEY_MEMORY). */
  | { kind: 'replayNeeded' };

/**
 * The events of one group (a stream batch's), folded in the order given, each exactly as mergeGroupEvent folds
 * it, so the state is the one a write per event would reach, and a stream batch of one group costs one write.
 */
export const mergeGroupEvents = (state: GroupState | undefined, events: readonly StateMergeInput[]): EventsMergeResult => {
  let current = state;
  let folded = 0;
  for (const event of events) {
    const result = mergeGroupEvent(current, event);
    if (result.kind === 'replayNeeded') return result;
    if (result.kind === 'merged') {
      current = result.state;
      folded += 1;
    }
  }
  return current === undefined || folded === 0 ? { kind: 'duplicate' } : { kind: 'merged', state: current, folded };
};
