import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StateMergeInput } from './mergeInput.js';
import { mergeGroupEvents } from './mergeEvents.js';
import { RebuildOutcome, type RebuildResult, rebuildGroupState, replayIntoStore } from './rebuildGroupState.js';
import { GroupStateConflictError } from './stateConflict.js';
import { groupStateItem, isMergeable } from './stateItem.js';
import { putStateIfVersion, readStoredState } from './stateWrite.js';

export { GroupStateConflictError } from './stateConflict.js';

export const ApplyResult = { Applied: 'applied', Unchanged: 'unchanged' } as const;
export type ApplyResultName = (typeof ApplyResult)[keyof typeof ApplyResult];

/** Folds recorded events into their group's state item. Safe to call again with the same events. */
export interface GroupStateStore {
  applyEvent(event: StateMergeInput): Promise<ApplyResultName>;
  /** Folds several recorded events of one group (in the order given) with one read and one write. */
  applyEvents(groupId: string, events: readonly StateMergeInput[]): Promise<ApplyResultName>;
  /** Replays all the group's recorded events into its state item (rebuildGroupState). */
  rebuildGroup(groupId: string): Promise<RebuildResult>;
}

export interface DynamoGroupStateStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Attempts when other writers updated the same group in between. Default: 12. */
  maxAttempts?: number;
  /** Lost races after which an attempt replays the group's events instead of merging its events. Default: 2. */
  replayAfterLostRaces?: number;
  /** Clock for `updatedAt`. Default: Date.now. */
  now?: () => number;
  /** Waits between attempts. Default: a random 0–(20 × 2^attempt) ms, at most 1.28 s, so concurrent writers spread out. */
  backoff?: (attempt: number) => Promise<void>;
}

const jitteredBackoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** Math.min(attempt, 6)));

/**
 * Optimistic concurrency, no transactions (dynalite has none): each attempt is one consistent GetItem and
 * one PutItem conditional on the version read (`attribute_not_exists(pk)` for a group's first state). A
 * writer that lost the race reads again and re-merges, so concurrent updates never lose each other.
 * Events already folded cost the read only. A stream batch's events of one group are folded together, so a
 * hot group costs one read and one write per batch, not per event.
 *
 * The events must be recorded already: where the merge cannot fold them (an item of another merge version or
 * without bookkeeping, an event older than the state remembers) and after `replayAfterLostRaces` lost races,
 * an attempt replays all the group's recorded events instead. One replay folds every event recorded so far,
 * so under heavy contention the writers that lose to it then find their event folded.
 */
export const dynamoGroupStateStore = ({
  client,
  tableName,
  maxAttempts = 12,
  replayAfterLostRaces = 2,
  now = Date.now,
  backoff = jitteredBackoff,
}: DynamoGroupStateStoreOptions): GroupStateStore => {
  const applyEvents = async (groupId: string, events: readonly StateMergeInput[]): Promise<ApplyResultName> => {
    const stranger = events.find((event) => event.groupId !== groupId);
    if (stranger !== undefined) throw new Error(`event of group ${stranger.groupId} given to fold into ${groupId}`);
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      if (attempt > 0) await backoff(attempt);
      const stored = await readStoredState(client, tableName, groupId);
      const merged = stored === undefined || isMergeable(stored) ? mergeGroupEvents(stored?.state, events) : { kind: 'replayNeeded' as const };
      if (merged.kind === 'duplicate') return ApplyResult.Unchanged;

      if (merged.kind === 'replayNeeded' || attempt >= replayAfterLostRaces) {
        const replayed = await replayIntoStore({ client, tableName, now }, groupId);
        if (replayed === 'conflict') continue;
        return replayed.outcome === RebuildOutcome.Created || replayed.outcome === RebuildOutcome.Rebuilt
          ? ApplyResult.Applied
          : ApplyResult.Unchanged;
      }
      const item = groupStateItem(merged.state, (stored?.version ?? 0) + 1, now());
      if (await putStateIfVersion(client, tableName, item, stored?.version)) return ApplyResult.Applied;
    }
    throw new GroupStateConflictError(`group state of ${groupId} still contended after ${maxAttempts} attempts`);
  };

  return {
    applyEvent: (event: StateMergeInput) => applyEvents(event.groupId, [event]),
    applyEvents,
    rebuildGroup: (groupId: string) => rebuildGroupState({ client, tableName, now, maxAttempts }, groupId),
  };
};
