import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describeError, writeLog } from '../log.js';
import type { GroupStateStore } from './dynamoGroupStateStore.js';
import { stateMergeInputFromItem } from './mergeInput.js';

/**
 * GROUP_STATE_UPDATES=inline: after the webhook recorded an event item, fold that same item into the group's
 * state, as the stream function does in AWS. A failure is logged, not answered: the event is recorded, and a
 * FAIL would only make Tencent retry a delivery that is then a duplicate.
 */
export const applyRecordedItemInline =
  (store: GroupStateStore) =>
  async function applyRecordedItem(item: Record<string, AttributeValue>): Promise<void> {
    const event = stateMergeInputFromItem(item);
    if (event === undefined) return;
    try {
      await store.applyEvent(event);
    } catch (error) {
      writeLog('ERROR', 'groupState', { outcome: 'failed', groupId: event.groupId, sortKey: event.sortKey, detail: describeError(error) });
    }
  };
