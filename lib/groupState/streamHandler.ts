import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ItemImage } from '../dynamo/attributeValue.js';
import { describeError, writeLog } from '../log.js';
import type { GroupStateStore } from './dynamoGroupStateStore.js';
import { stateMergeInputFromItem } from './mergeInput.js';

export type GroupStateStreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/** Only new event items change a state; the event source mapping's filter already drops the rest. */
const insertedEvent = (record: DynamoDBRecord) =>
  record.eventName === 'INSERT' ? stateMergeInputFromItem(record.dynamodb?.NewImage as ItemImage | undefined) : undefined;

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
      const groupEvent = insertedEvent(record);
      if (groupEvent === undefined) continue;
      try {
        if ((await store.applyEvent(groupEvent)) === 'applied') applied += 1;
        else unchanged += 1;
      } catch (error) {
        const itemIdentifier = record.dynamodb?.SequenceNumber ?? '';
        writeLog('ERROR', 'groupState', {
          outcome: 'failed',
          groupId: groupEvent.groupId,
          sortKey: groupEvent.sortKey,
          sequenceNumber: itemIdentifier,
          detail: describeError(error),
        });
        return { batchItemFailures: [{ itemIdentifier }] };
      }
    }
    writeLog('INFO', 'groupState', { outcome: 'batch', records: event.Records.length, applied, unchanged });
    return { batchItemFailures: [] };
  };
