import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GroupStateUpdates, readGroupStateUpdates } from '../config.js';
import { describeError, writeLog } from '../log.js';
import { type GroupStateStore, dynamoGroupStateStore } from './dynamoGroupStateStore.js';
import { stateMergeInputFromItem } from './mergeInput.js';

/** When an inline update failed, the group is replayed again this many ms later, then again, … */
export const INLINE_REPAIR_DELAYS_MS: readonly number[] = [1_000, 3_000, 9_000];

/** Replays the group in the background until one replay succeeds or the delays run out; never throws. */
const repairLater = (store: GroupStateStore, groupId: string, delays: readonly number[]): void => {
  const [delay, ...later] = delays;
  if (delay === undefined) {
    writeLog('ERROR', 'groupState', { outcome: 'unrepaired', groupId, repair: `npm run rebuild-state -- '${groupId}'` });
    return;
  }
  setTimeout(() => {
    store.rebuildGroup(groupId).then(
      (result) => writeLog('INFO', 'groupState', { outcome: 'repaired', groupId, replay: result.outcome }),
      () => repairLater(store, groupId, later),
    );
  }, delay).unref();
};

/**
 * GROUP_STATE_UPDATES=inline: after the webhook recorded an event item, fold that same item into the group's
 * state, as the stream function does in AWS. A failure is logged, not answered: the event is recorded, and a
 * FAIL would only make Tencent retry a delivery that is then a duplicate. The group is then replayed in the
 * background a few seconds later, so its state still converges without an operator.
 */
export const applyRecordedItemInline =
  (store: GroupStateStore, repairDelaysMs: readonly number[] = INLINE_REPAIR_DELAYS_MS) =>
  async function applyRecordedItem(item: Record<string, AttributeValue>): Promise<void> {
    const event = stateMergeInputFromItem(item);
    if (event === undefined) return;
    try {
      await store.applyEvent(event);
    } catch (error) {
      writeLog('ERROR', 'groupState', { outcome: 'failed', groupId: event.groupId, sortKey: event.sortKey, detail: describeError(error) });
      repairLater(store, event.groupId, repairDelaysMs);
    }
  };

/** The event store's `onRecorded` for the configured GROUP_STATE_UPDATES: inline updates, or none (the stream). */
export const inlineStateUpdatesFor = (
  client: DynamoDBClient,
  tableName: string,
  env: NodeJS.ProcessEnv = process.env,
): ((item: Record<string, AttributeValue>) => Promise<void>) | undefined =>
  readGroupStateUpdates(env) === GroupStateUpdates.Inline ? applyRecordedItemInline(dynamoGroupStateStore({ client, tableName })) : undefined;
