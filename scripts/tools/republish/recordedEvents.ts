import { type AttributeValue, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { queryPages } from '../../../lib/dynamo/queryAllItems.js';
import { scanPages } from '../../../lib/dynamo/scanPages.js';
import {
  EVENT_SORT_KEY_PREFIX,
  EVENT_TIME_DIGITS,
  eventSortKey,
  groupPartitionKey,
} from '../../../lib/dynamo/tableKeys.js';
import type { RecordedEventKey } from '../../../lib/fanOut/unpublishedQueue.js';

type Item = Record<string, AttributeValue>;

/** Event times from and to (ms, both included); either may be open. */
export interface TimeRange {
  from?: number | undefined;
  to?: number | undefined;
}

const paddedTime = (time: number): string => String(Math.max(0, time)).padStart(EVENT_TIME_DIGITS, '0');

/** The largest EventTime a sort key holds: 15 nines. */
const LATEST_EVENT_TIME = 10 ** EVENT_TIME_DIGITS - 1;

/**
 * One group's event items in event-time order, within the range: a Query on the sort key (the EventTime is its
 * prefix), page by page, so a long history is never held at once.
 */
export async function* groupEventItems(
  client: DynamoDBClient,
  tableName: string,
  groupId: string,
  { from = 0, to = LATEST_EVENT_TIME }: TimeRange,
): AsyncGenerator<Item[]> {
  const pages = queryPages(client, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
    ExpressionAttributeValues: {
      ':pk': { S: groupPartitionKey(groupId) },
      ':first': { S: `${EVENT_SORT_KEY_PREFIX}${paddedTime(from)}#` },
      // '~' sorts after every delivery id (hex): the last key of the `to` millisecond.
      ':last': { S: `${EVENT_SORT_KEY_PREFIX}${paddedTime(to)}#~` },
    },
  });
  for await (const page of pages) if ((page.Items ?? []).length > 0) yield page.Items ?? [];
}

/** Which attribute a table-wide range is read on: the event's time, or when it was received. */
export type RangeAttribute = 'eventTime' | 'receivedAt';

/** Every group's event items within the range, page by page (a Scan: a full read of the table). */
export async function* tableEventItems(
  client: DynamoDBClient,
  tableName: string,
  { from = 0, to = LATEST_EVENT_TIME }: TimeRange,
  attribute: RangeAttribute = 'eventTime',
): AsyncGenerator<Item[]> {
  const pages = scanPages(client, {
    TableName: tableName,
    FilterExpression: 'begins_with(sk, :events) AND #time BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#time': attribute },
    ExpressionAttributeValues: {
      ':events': { S: EVENT_SORT_KEY_PREFIX },
      ':from': { N: String(from) },
      ':to': { N: String(to) },
    },
  });
  for await (const page of pages) if ((page.Items ?? []).length > 0) yield page.Items ?? [];
}

/** One recorded event item, read consistently by its key; undefined when the table has no such event. */
export const recordedEventItem = async (
  client: DynamoDBClient,
  tableName: string,
  { groupId, eventTime, deliveryId }: RecordedEventKey,
): Promise<Item | undefined> => {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { pk: { S: groupPartitionKey(groupId) }, sk: { S: eventSortKey(eventTime, deliveryId) } },
      ConsistentRead: true,
    }),
  );
  return Item;
};
