import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ItemImage } from '../dynamo/attributeValue.js';
import { describeError, writeLog } from '../log.js';
import { deliveryIdOf, type EntrySettings, eventEntry } from './eventEntry.js';
import type { UnpublishedEntry } from './publishEntries.js';
import type { UnpublishedQueue } from './unpublishedQueue.js';

export type PublishStreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/** A new event item's entry, with the record it came from; the mapping's filter passes nothing else. */
interface RecordEntry {
  entry: PutEventsRequestEntry;
  sequenceNumber: string;
}

const recordEntry = (record: DynamoDBRecord, settings: EntrySettings): RecordEntry | undefined => {
  if (record.eventName !== 'INSERT') return undefined;
  const entry = eventEntry((record.dynamodb?.NewImage ?? {}) as ItemImage, settings);
  return entry && { entry, sequenceNumber: record.dynamodb?.SequenceNumber ?? '' };
};

/**
 * The table's stream → the stage's bus: each new event item (a duplicate delivery, a time claim, a state write or a
 * body part is no INSERT of an `EVENT#` item) becomes one entry, published with retries per entry. What every attempt
 * failed to publish goes to the unpublished-events queue and the batch goes on: a bus outage holds back nothing, the
 * group state included (its own mapping). Only when the queue does not take them either is the batch retried, from
 * the first such record; entries published meanwhile are published again (at least once; consumers drop a
 * `deliveryId` they have seen).
 */
export const createPublishStreamHandler = ({
  settings,
  publish,
  queueUnpublished,
}: {
  settings: EntrySettings;
  publish: (entries: readonly PutEventsRequestEntry[]) => Promise<UnpublishedEntry[]>;
  queueUnpublished: UnpublishedQueue;
}): PublishStreamHandler =>
  async function handlePublishStream(event) {
    const records = event.Records.flatMap((record) => recordEntry(record, settings) ?? []);
    const unpublished = await publish(records.map(({ entry }) => entry));
    if (unpublished.length > 0) {
      try {
        await queueUnpublished(unpublished);
        for (const { entry, errorCode, errorMessage } of unpublished) {
          writeLog('WARN', 'publish', {
            outcome: 'queued',
            deliveryId: deliveryIdOf(entry),
            detailType: entry.DetailType,
            errorCode,
            detail: errorMessage,
          });
        }
      } catch (error) {
        const firstUnpublished = records.find(({ entry }) => unpublished.some((failed) => failed.entry === entry));
        writeLog('ERROR', 'publish', {
          outcome: 'retry',
          unpublished: unpublished.length,
          errorCode: unpublished[0]?.errorCode,
          detail: describeError(error),
        });
        return { batchItemFailures: [{ itemIdentifier: firstUnpublished?.sequenceNumber ?? '' }] };
      }
    }
    writeLog('INFO', 'publish', {
      outcome: 'batch',
      records: event.Records.length,
      published: records.length - unpublished.length,
      queued: unpublished.length,
    });
    return { batchItemFailures: [] };
  };
