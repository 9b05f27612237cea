import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GroupStateUpdates, readGroupStateUpdates } from '../config.js';
import type { EventStore } from '../eventStore/types.js';
import { describeError, writeLog } from '../log.js';
import { stateMergeInputFromItem } from './fold.js';
import { dynamoGroupStateStore, GroupStateConflictError, type GroupStateStore } from './store.js';

/**
 * When an inline update failed, the group is replayed again this many ms later, then again, …
 * (about a minute in all).
 */
export const INLINE_REPAIR_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000];

/**
 * The longest the webhook's answer waits for the inline update. Beyond it the answer goes out and the update
 * goes on in the background: under a burst of deliveries to one group (many writers on one item) the state
 * must not hold up Tencent's answer, which in AWS never waits for it.
 */
export const INLINE_UPDATE_WAIT_MS = 1_500;

/** Replays the group in the background until one replay succeeds or the delays run out; never throws. */
const repairLater = (store: GroupStateStore, groupId: string, delays: readonly number[]): void => {
  const [delay, ...later] = delays;
  if (delay === undefined) {
    writeLog('ERROR', 'groupState', {
      outcome: 'unrepaired',
      groupId,
      repair: `npm run rebuild-state -- '${groupId}'`,
    });
    return;
  }
  setTimeout(() => {
    store.rebuildGroup(groupId).then(
      (result) => writeLog('INFO', 'groupState', { outcome: 'repaired', groupId, replay: result.outcome }),
      () => repairLater(store, groupId, later),
    );
  }, delay).unref();
};

/** The update of each group still running or queued in this process, so the next one for that group waits for it. */
const lastUpdateOfGroup = new Map<string, Promise<unknown>>();

/**
 * Runs one group's updates one after another. serverless-offline runs the handlers in its own process
 * (`useInProcess`), so the deliveries of a burst to one group share this module: queued here, each update reads
 * the item the previous one wrote, instead of all of them racing on one item and losing to each other.
 */
const oneAfterAnother = <T>(groupId: string, update: () => Promise<T>): Promise<T> => {
  const previous = lastUpdateOfGroup.get(groupId) ?? Promise.resolve();
  const next = previous.then(update, update);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  lastUpdateOfGroup.set(groupId, settled);
  void settled.then(() => {
    if (lastUpdateOfGroup.get(groupId) === settled) lastUpdateOfGroup.delete(groupId);
  });
  return next;
};

/**
 * GROUP_STATE_UPDATES=inline: after the webhook recorded an event item, fold that same item into the group's
 * state, as the stream function does in AWS. A failure is logged, not answered: the event is recorded, and a
 * FAIL would only make Tencent retry a delivery that is then a duplicate. The group is then replayed in the
 * background a few seconds later, so its state still converges without an operator. The answer waits for the
 * update at most `waitMs` (the function: INLINE_UPDATE_WAIT_MS; default: until it is done).
 */
export const applyRecordedItemInline = (
  store: GroupStateStore,
  repairDelaysMs: readonly number[] = INLINE_REPAIR_DELAYS_MS,
  waitMs = Number.POSITIVE_INFINITY,
  { deferContended = false }: { deferContended?: boolean } = {},
) =>
  async function applyRecordedItem(item: Record<string, AttributeValue>): Promise<void> {
    const event = stateMergeInputFromItem(item);
    if (event === undefined) return;
    const update = oneAfterAnother(event.groupId, () => store.applyEvent(event)).then(
      () => undefined,
      (error: unknown) => {
        if (deferContended && error instanceof GroupStateConflictError) {
          writeLog('INFO', 'groupState', { outcome: 'deferred', groupId: event.groupId, sortKey: event.sortKey });
          return;
        }
        writeLog('ERROR', 'groupState', {
          outcome: 'failed',
          groupId: event.groupId,
          sortKey: event.sortKey,
          detail: describeError(error),
        });
        repairLater(store, event.groupId, repairDelaysMs);
      },
    );
    if (!Number.isFinite(waitMs)) return update;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    await Promise.race([update, waited]);
    clearTimeout(timer);
  };

/**
 * A failed or late answer from DynamoDB does not say the write failed: an attempt that timed out may still land.
 * After a failed recording the group is therefore replayed a little later, twice (a write can land after the
 * first replay), each replay retried as above.
 */
export const UNCERTAIN_WRITE_REPLAYS_MS: readonly number[] = [2_000, 10_000];

/** Replays already scheduled in this process, by group and delay: a burst of failures for one group shares them. */
const scheduledReplays = new Set<string>();

const replayAfterUncertainWrite = (
  store: GroupStateStore,
  groupId: string,
  repairDelaysMs: readonly number[],
): void => {
  for (const delay of UNCERTAIN_WRITE_REPLAYS_MS) {
    const key = `${delay}:${groupId}`;
    if (scheduledReplays.has(key)) continue;
    scheduledReplays.add(key);
    setTimeout(() => {
      scheduledReplays.delete(key);
      repairLater(store, groupId, [0, ...repairDelaysMs]);
    }, delay).unref();
  }
};

/**
 * The event store with GROUP_STATE_UPDATES=inline: `onRecorded` updates the state, a failed recording replays it later.
 */
export interface InlineStateUpdates {
  onRecorded: (item: Record<string, AttributeValue>) => Promise<void>;
  /** The event store, unchanged, except that a recording that failed (it may have landed) replays its group later. */
  replayingAfterFailures(events: EventStore): EventStore;
}

export const inlineStateUpdates = (
  store: GroupStateStore,
  {
    repairDelaysMs = INLINE_REPAIR_DELAYS_MS,
    waitMs = INLINE_UPDATE_WAIT_MS,
    deferContended = false,
  }: { repairDelaysMs?: readonly number[]; waitMs?: number; deferContended?: boolean } = {},
): InlineStateUpdates => ({
  onRecorded: applyRecordedItemInline(store, repairDelaysMs, waitMs, { deferContended }),
  replayingAfterFailures: (events) => ({
    async recordEvent(event) {
      try {
        return await events.recordEvent(event);
      } catch (error) {
        replayAfterUncertainWrite(store, event.groupId, repairDelaysMs);
        throw error;
      }
    },
  }),
});

/**
 * Within one process a group's updates already queue (oneAfterAnother); another process writing the same state
 * (`npm run replay`, the sweeper) can still win the race. The function's inline update then tries twice and
 * leaves a still-contended group to `npm start`'s sweeper (scripts/stack/stream/stateSweeper.ts), which replays it
 * within seconds.
 */
export const INLINE_FUNCTION_ATTEMPTS = 2;

/** Inline updates when GROUP_STATE_UPDATES says so; undefined in AWS, where the table's stream updates the state. */
export const inlineStateUpdatesFor = (
  client: DynamoDBClient,
  tableName: string,
  { env = process.env, waitMs }: { env?: NodeJS.ProcessEnv; waitMs?: number } = {},
): InlineStateUpdates | undefined =>
  readGroupStateUpdates(env) === GroupStateUpdates.Inline
    ? inlineStateUpdates(
        dynamoGroupStateStore({
          client,
          tableName,
          maxAttempts: INLINE_FUNCTION_ATTEMPTS,
          replayAfterLostRaces: INLINE_FUNCTION_ATTEMPTS,
        }),
        { waitMs, deferContended: true },
      )
    : undefined;
