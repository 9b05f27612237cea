import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { waitUpTo } from '../backoff.js';
import { describeError } from '../log.js';
import { batchesOf } from './batches.js';
import { ENTRY_LIMIT_BYTES, entrySizeBytes } from './eventEntry.js';

/** PutEvents takes at most this many entries a call. */
export const ENTRIES_PER_REQUEST = 10;

/** An entry that every attempt failed to publish, with EventBridge's last word on it. */
export interface UnpublishedEntry {
  entry: PutEventsRequestEntry;
  errorCode: string;
  errorMessage: string;
}

export interface PublishOptions {
  /** Attempts per entry, the first included. Default: 4. */
  attempts?: number;
  /** Wait before the given retry (1, 2, …). Default: a random 0–100 ms, the ceiling doubling. */
  backoff?: (retry: number) => Promise<void>;
}

const jitteredBackoff = (retry: number): Promise<void> => waitUpTo(100 * 2 ** (retry - 1));

/** Consecutive entries in calls of at most ten whose sizes together stay under EventBridge's limit. */
export const requestsOf = (entries: readonly PutEventsRequestEntry[]): PutEventsRequestEntry[][] =>
  batchesOf(entries, {
    maxItems: ENTRIES_PER_REQUEST,
    sizeOf: entrySizeBytes,
    fits: (totalBytes) => totalBytes < ENTRY_LIMIT_BYTES,
  });

/** One call: the entries it did not publish, each with why (a failed call fails all of its entries). */
const putEvents = async (client: EventBridgeClient, entries: PutEventsRequestEntry[]): Promise<UnpublishedEntry[]> => {
  try {
    const { Entries = [] } = await client.send(new PutEventsCommand({ Entries: entries }));
    return entries.flatMap((entry, index) => {
      const result = Entries[index];
      if (result?.EventId !== undefined && result.ErrorCode === undefined) return [];
      return [
        {
          entry,
          errorCode: result?.ErrorCode ?? 'NoResult',
          errorMessage: result?.ErrorMessage ?? 'PutEvents returned no result for this entry',
        },
      ];
    });
  } catch (error) {
    const errorCode = (error as Error).name || 'Error';
    return entries.map((entry) => ({ entry, errorCode, errorMessage: describeError(error) }));
  }
};

/**
 * Publishes the entries in as few PutEvents calls as the limits allow, all at once, and tries again only the
 * entries that failed (PutEvents fails entries one by one: throttling, an internal failure), after a back-off.
 * Returns those that every attempt failed; never throws.
 */
export const publishEntries = async (
  client: EventBridgeClient,
  entries: readonly PutEventsRequestEntry[],
  { attempts = 4, backoff = jitteredBackoff }: PublishOptions = {},
): Promise<UnpublishedEntry[]> => {
  let failed: UnpublishedEntry[] = [];
  let pending = [...entries];
  for (let attempt = 1; attempt <= attempts && pending.length > 0; attempt += 1) {
    if (attempt > 1) await backoff(attempt - 1);
    failed = (await Promise.all(requestsOf(pending).map((request) => putEvents(client, request)))).flat();
    pending = failed.map(({ entry }) => entry);
  }
  return failed;
};
