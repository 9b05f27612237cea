import { type GroupState, applyGroupEvent } from './merge.js';
import type { StateMergeInput } from './mergeInput.js';

/** The definition of a group's state: its distinct events folded in sort-key order. Undefined for none. */
export const replayGroupState = (events: readonly StateMergeInput[]): GroupState | undefined =>
  [...events]
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
    .reduce<GroupState | undefined>((state, event) => applyGroupEvent(state, event), undefined);
