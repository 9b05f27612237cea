import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ItemImage } from '../dynamo/attributeValue.js';
import { describeError, writeLog } from '../log.js';
import type { GroupStateStore } from './dynamoGroupStateStore.js';
import { type StateMergeInput, stateMergeInputFromItem } from './mergeInput.js';
import { isPermanentFailure } from './permanentFailure.js';

export type GroupStateStreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/** Only new event items change a state; the event source mapping's filter already drops the rest. */
const insertedEvent = (record: DynamoDBRecord) =>
  record.eventName === 'INSERT' ? stateMergeInputFromItem(record.dynamodb?.NewImage as ItemImage | undefined) : undefined;

const RecordOutcome = { Applied: 'applied', Unchanged: 'unchanged', Replayed: 'replayed', Skipped: 'skipped', Retry: 'retry' } as const;
type RecordOutcomeName = (typeof RecordOutcome)[keyof typeof RecordOutcome];

/**
 * One record: merge its event; if that fails, replay the whole group (the event is recorded, so the replay
 * includes it). If the replay fails too, a failure that passes with time (throttling, a lost race) is
 * retried by Lambda; one that never can (DynamoDB refuses the request, a bug) is logged with the group ID
 * and skipped, so it does not hold up its shard: `npm run rebuild-state -- --stage <stage> <groupId>`.
 */
const applyRecord = async (store: GroupStateStore, event: StateMergeInput, sequenceNumber: string): Promise<RecordOutcomeName> => {
  const where = { groupId: event.groupId, sortKey: event.sortKey, sequenceNumber };
  try {
    return (await store.applyEvent(event)) === 'applied' ? RecordOutcome.Applied : RecordOutcome.Unchanged;
  } catch (mergeError) {
    try {
      const replay = await store.rebuildGroup(event.groupId);
      writeLog('WARN', 'groupState', { outcome: 'replayed', ...where, replay: replay.outcome, detail: describeError(mergeError) });
      return RecordOutcome.Replayed;
    } catch (replayError) {
      const permanent = isPermanentFailure(replayError);
      writeLog('ERROR', 'groupState', {
        outcome: permanent ? 'skipped' : 'failed',
        ...where,
        detail: describeError(replayError),
        ...(permanent ? { repair: `npm run rebuild-state -- --stage <stage> '${event.groupId}'` } : {}),
      });
      return permanent ? RecordOutcome.Skipped : RecordOutcome.Retry;
    }
  }
};

/**
 * The table's stream → group state items. Records are applied in stream order; at the first record that
 * must be retried the rest of the batch is not tried and that record is reported (ReportBatchItemFailures),
 * so Lambda retries from it. Applying is idempotent, so the records after it that Lambda sends again are
 * harmless.
 */
export const createGroupStateStreamHandler =
  ({ store }: { store: GroupStateStore }): GroupStateStreamHandler =>
  async function handleGroupStateStream(event) {
    const tally = new Map<RecordOutcomeName, number>();
    for (const record of event.Records) {
      const groupEvent = insertedEvent(record);
      if (groupEvent === undefined) continue;
      const itemIdentifier = record.dynamodb?.SequenceNumber ?? '';
      const outcome = await applyRecord(store, groupEvent, itemIdentifier);
      if (outcome === RecordOutcome.Retry) return { batchItemFailures: [{ itemIdentifier }] };
      tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
    }
    writeLog('INFO', 'groupState', { outcome: 'batch', records: event.Records.length, ...Object.fromEntries(tally) });
    return { batchItemFailures: [] };
  };
