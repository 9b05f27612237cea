import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { GroupStateStore } from './dynamoGroupStateStore.js';
import { describeError, logGroupState } from './groupStateLog.js';
import { groupStateEventFromItem } from './groupStateEvent.js';

export type GroupStateStreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/** Only new event items change a state; the event source mapping's filter already drops the rest. */
const recordedEvent = (record: DynamoDBRecord) =>
  record.eventName === 'INSERT' ? groupStateEventFromItem(record.dynamodb?.NewImage as Parameters<typeof groupStateEventFromItem>[0]) : undefined;

/**
 * The table's stream → group state items. Records are applied in stream order; at the first failure the
 * rest of the batch is not tried and that record is reported (ReportBatchItemFailures), so Lambda retries
 * from it. Applying is idempotent, so the records after it that Lambda sends again are harmless.
 */
export const createGroupStateStreamHandler =
  ({ store }: { store: GroupStateStore }): GroupStateStreamHandler =>
  async function handleGroupStateStream(event) {
    let applied = 0;
    let unchanged = 0;
    for (const record of event.Records) {
      const groupEvent = recordedEvent(record);
      if (groupEvent === undefined) continue;
      try {
        if ((await store.applyEvent(groupEvent)) === 'applied') applied += 1;
        else unchanged += 1;
      } catch (error) {
        const itemIdentifier = record.dynamodb?.SequenceNumber ?? '';
        logGroupState({
          level: 'ERROR',
          outcome: 'failed',
          groupId: groupEvent.groupId,
          sortKey: groupEvent.sortKey,
          sequenceNumber: itemIdentifier,
          detail: describeError(error),
        });
        return { batchItemFailures: [{ itemIdentifier }] };
      }
    }
    logGroupState({ level: 'INFO', outcome: 'batch', records: event.Records.length, applied, unchanged });
    return { batchItemFailures: [] };
  };
