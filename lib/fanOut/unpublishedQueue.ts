import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { batchesOf } from './batches.js';
import type { UnpublishedEntry } from './publishEntries.js';

/** SQS's limit on one message and on one batch's messages together (raised from 256 KiB in August 2025). */
export const QUEUE_MESSAGE_LIMIT_BYTES = 1024 * 1024;
const MESSAGES_PER_BATCH = 10;
const SEND_ATTEMPTS = 3;

/** A message of the unpublished-events queue: an entry every attempt failed to publish, as PutEvents takes it. */
export interface UnpublishedMessage {
  unpublished: { eventBusName: string; source: string; detailType: string; time: string; detail: string };
  errorCode: string;
  errorMessage: string;
  failedAt: string;
}

export const unpublishedMessage = ({ entry, errorCode, errorMessage }: UnpublishedEntry): UnpublishedMessage => ({
  unpublished: {
    eventBusName: entry.EventBusName ?? '',
    source: entry.Source ?? '',
    detailType: entry.DetailType ?? '',
    time: (entry.Time ?? new Date()).toISOString(),
    detail: entry.Detail ?? '{}',
  },
  errorCode,
  errorMessage,
  failedAt: new Date().toISOString(),
});

/** Which recorded event a queue message names. */
export interface RecordedEventKey {
  groupId: string;
  eventTime: number;
  deliveryId: string;
}

/**
 * The event a queue message names; undefined for a message of another kind. Only a pointer: whoever may send to the
 * queue could write any entry into it, so the event is published again from the table, never from the message.
 */
export const recordedEventOfMessage = (body: string): RecordedEventKey | undefined => {
  try {
    const { unpublished } = JSON.parse(body) as Partial<UnpublishedMessage>;
    if (typeof unpublished?.detail !== 'string') return undefined;
    const { groupId, eventTime, deliveryId } = JSON.parse(unpublished.detail) as Partial<RecordedEventKey>;
    if (typeof groupId !== 'string' || typeof eventTime !== 'number' || typeof deliveryId !== 'string')
      return undefined;
    return { groupId, eventTime, deliveryId };
  } catch {
    return undefined;
  }
};

/** Where entries go that could not be published: the stage's queue, from which `npm run republish` takes them. */
export type UnpublishedQueue = (entries: readonly UnpublishedEntry[]) => Promise<void>;

/** Consecutive message bodies in batches SQS takes: ten at most, under its size limit together. */
const messageBatchesOf = (bodies: readonly string[]): string[][] =>
  batchesOf(bodies, {
    maxItems: MESSAGES_PER_BATCH,
    sizeOf: (body) => Buffer.byteLength(body, 'utf8'),
    fits: (totalBytes) => totalBytes <= QUEUE_MESSAGE_LIMIT_BYTES,
  });

/** Sends one batch, again for the messages SQS did not take; throws when some were never taken. */
const sendBatch = async (client: SQSClient, queueUrl: string, bodies: string[]): Promise<void> => {
  let pending = bodies.map((body, index) => ({ Id: String(index), MessageBody: body }));
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    const { Failed = [] } = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }));
    const failedIds = new Set(Failed.map(({ Id }) => Id));
    pending = pending.filter(({ Id }) => failedIds.has(Id));
    if (pending.length > 0 && attempt >= SEND_ATTEMPTS) {
      throw new Error(`SQS did not take ${pending.length} unpublished events: ${Failed[0]?.Code ?? 'unknown'}`);
    }
  }
};

export const sqsUnpublishedQueue =
  (client: SQSClient, queueUrl: string): UnpublishedQueue =>
  async (entries) => {
    const bodies = entries.map((entry) => JSON.stringify(unpublishedMessage(entry)));
    await Promise.all(messageBatchesOf(bodies).map((batch) => sendBatch(client, queueUrl, batch)));
  };
