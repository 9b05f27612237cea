import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { UnpublishedEntry } from '../../../lib/fanOut/publishEntries.js';
import { type RecordedEventKey, recordedEventOfMessage } from '../../../lib/fanOut/unpublishedQueue.js';
import type { TimeRange } from './recordedEvents.js';

/** What Lambda's on-failure destination sends when the publish function gave up on a stream batch. */
interface StreamBatchFailure {
  DDBStreamBatchInfo: { approximateArrivalOfFirstRecord?: string; approximateArrivalOfLastRecord?: string };
}

const streamBatchOf = (body: string): StreamBatchFailure | undefined => {
  try {
    const parsed = JSON.parse(body) as Partial<StreamBatchFailure>;
    return parsed.DDBStreamBatchInfo === undefined ? undefined : (parsed as StreamBatchFailure);
  } catch {
    return undefined;
  }
};

/** The stream's arrival times are to the second and the receive time is taken before the write: a margin each side. */
const ARRIVAL_MARGIN_MS = 60_000;

export const receiveWindowOf = ({ DDBStreamBatchInfo: batch }: StreamBatchFailure): TimeRange => ({
  from: Date.parse(batch.approximateArrivalOfFirstRecord ?? '') - ARRIVAL_MARGIN_MS || 0,
  to: Date.parse(batch.approximateArrivalOfLastRecord ?? '') + ARRIVAL_MARGIN_MS || Date.now(),
});

export interface DrainOptions {
  sqs: SQSClient;
  queueUrl: string;
  publish: (entries: readonly PutEventsRequestEntry[]) => Promise<UnpublishedEntry[]>;
  /** The entry of a recorded event read from the table, the source of truth; undefined when it is not there. */
  recordedEntry: (key: RecordedEventKey) => Promise<PutEventsRequestEntry | undefined>;
  /** Publishes again the table's events received in the window (a stream batch the function gave up on). */
  republishReceived: (window: TimeRange) => Promise<{ published: number; unpublished: number }>;
  /** How long a received message stays invisible to others while it is republished. Default: 300 s. */
  visibilityTimeoutSeconds?: number;
}

export interface DrainResult {
  /** Entries published again from the queue's messages. */
  republished: number;
  /** Events published again from the table, for stream batches the function gave up on. */
  fromTable: number;
  /** Messages left in the queue: not published again, naming no recorded event, or not of a kind this command knows. */
  left: number;
}

/**
 * Empties the unpublished-events queue into the bus, from the table, the source of truth: the event each message names
 * is read and published again (a message naming no recorded event stays, and is counted as left), and a stream batch
 * the publish function gave up on (its on-failure record holds no event) by the batch's arrival times. A message is
 * deleted only once what it stands for is published, so a failure leaves it for the next run.
 */
export const drainUnpublishedQueue = async ({
  sqs,
  queueUrl,
  publish,
  recordedEntry,
  republishReceived,
  visibilityTimeoutSeconds = 300,
}: DrainOptions): Promise<DrainResult> => {
  const result: DrainResult = { republished: 0, fromTable: 0, left: 0 };
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: visibilityTimeoutSeconds,
      }),
    );
    if (Messages.length === 0) return result;
    const done: Message[] = [];
    const withEntries = (
      await Promise.all(
        Messages.map(async (message) => {
          const key = recordedEventOfMessage(message.Body ?? '');
          const entry = key && (await recordedEntry(key));
          return entry === undefined ? [] : [{ message, entry }];
        }),
      )
    ).flat();
    const unpublished = new Set((await publish(withEntries.map(({ entry }) => entry))).map(({ entry }) => entry));
    for (const { message, entry } of withEntries) if (!unpublished.has(entry)) done.push(message);
    result.republished += withEntries.length - unpublished.size;
    for (const message of Messages) {
      const batch = streamBatchOf(message.Body ?? '');
      if (batch === undefined) continue;
      const republished = await republishReceived(receiveWindowOf(batch));
      result.fromTable += republished.published;
      if (republished.unpublished === 0) done.push(message);
    }
    result.left += Messages.length - done.length;
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
    }
  }
};
