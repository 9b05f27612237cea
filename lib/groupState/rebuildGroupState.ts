import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readGroupEvents } from './groupEventReader.js';
import { type GroupStateView, groupStateView } from './merge.js';
import { replayGroupState } from './replay.js';
import { GroupStateConflictError } from './stateConflict.js';
import { groupStateItem, sameStateContent } from './stateItem.js';
import { putStateIfVersion, readStoredState } from './stateWrite.js';

export const RebuildOutcome = {
  /** The group had events and no state item. */
  Created: 'created',
  /** The state item differed from the replay (stale, corrupted, or written by another merge version). */
  Rebuilt: 'rebuilt',
  Unchanged: 'unchanged',
  /** No event recorded: a state item, if any, is left alone (its events may have expired). */
  NoEvents: 'no-events',
} as const;
export type RebuildOutcomeName = (typeof RebuildOutcome)[keyof typeof RebuildOutcome];

export interface RebuildResult {
  groupId: string;
  outcome: RebuildOutcomeName;
  /** The state before and after, as the read API shows it. */
  before: GroupStateView | undefined;
  after: GroupStateView | undefined;
  /** How many events were replayed. */
  events: number;
}

export interface RebuildOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Clock for `updatedAt`. Default: Date.now. */
  now?: () => number;
}

/**
 * One attempt: read the state item, replay all the group's events, and write the result if it differs,
 * conditional on the version read. 'conflict' when another writer came first (the caller reads again).
 */
export const replayIntoStore = async (
  { client, tableName, now = Date.now }: RebuildOptions,
  groupId: string,
): Promise<RebuildResult | 'conflict'> => {
  const stored = await readStoredState(client, tableName, groupId);
  const events = await readGroupEvents(client, tableName, groupId);
  const replayed = replayGroupState(events);
  const before = stored && groupStateView(stored.state);
  if (replayed === undefined) return { groupId, outcome: RebuildOutcome.NoEvents, before, after: before, events: 0 };
  const item = groupStateItem(replayed, (stored?.version ?? 0) + 1, now());
  const after = groupStateView(replayed);
  if (stored !== undefined && sameStateContent(stored.item, item)) {
    return { groupId, outcome: RebuildOutcome.Unchanged, before, after, events: events.length };
  }
  if (!(await putStateIfVersion(client, tableName, item, stored?.version))) return 'conflict';
  return { groupId, outcome: stored === undefined ? RebuildOutcome.Created : RebuildOutcome.Rebuilt, before, after, events: events.length };
};

const jitteredBackoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** Math.min(attempt, 6)));

/**
 * Recomputes a group's state from its recorded events with the same merge, safe beside live updates
 * (every write is conditional on the version read) and idempotent (an equal state is not written again).
 */
export const rebuildGroupState = async (
  options: RebuildOptions & { maxAttempts?: number; backoff?: (attempt: number) => Promise<void> },
  groupId: string,
): Promise<RebuildResult> => {
  const { maxAttempts = 10, backoff = jitteredBackoff } = options;
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    if (attempt > 0) await backoff(attempt);
    const result = await replayIntoStore(options, groupId);
    if (result !== 'conflict') return result;
  }
  throw new GroupStateConflictError(`group state of ${groupId} still contended after ${maxAttempts} replays`);
};
