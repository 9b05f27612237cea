import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { type EntrySettings, eventEntry } from '../../../lib/fanOut/eventEntry.js';
import type { UnpublishedEntry } from '../../../lib/fanOut/publishEntries.js';

/** Publishes the event items of each page as the publish function does, page by page; what could not be, counted. */
export const republishItems = async (
  pages: AsyncIterable<Record<string, AttributeValue>[]>,
  settings: EntrySettings,
  publish: (entries: readonly PutEventsRequestEntry[]) => Promise<UnpublishedEntry[]>,
): Promise<{ published: number; unpublished: number }> => {
  let published = 0;
  let unpublished = 0;
  for await (const items of pages) {
    const entries = items.flatMap((item) => eventEntry(item, settings) ?? []);
    const failed = await publish(entries);
    for (const { entry, errorCode } of failed)
      console.error(`not published (${errorCode}): ${entry.Detail?.slice(0, 200)}`);
    published += entries.length - failed.length;
    unpublished += failed.length;
  }
  return { published, unpublished };
};
