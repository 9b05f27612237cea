import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { type PlainValue, plainObject } from '../dynamo/attributeValue.js';
import { StoreError } from '../dynamo/errors.js';
import { EVENT_SORT_KEY_PREFIX, eventSortKey, groupPartitionKey } from '../dynamo/tableKeys.js';
import {
  BODY_STORAGE_ATTRIBUTES,
  type BodyPartsReader,
  bodyTextOf,
  compressedBodyOf,
  dynamoBodyPartsReader,
} from '../eventStore/storedBody.js';
import { type GroupStateView, groupStateView } from '../groupState/fold.js';
import { readStoredState } from '../groupState/store.js';
import { decodeEventsCursor, encodeEventsCursor } from './cursor.js';

/** A recorded event as the read API shows it. */
export type EventView = { [key: string]: PlainValue };

export interface EventsPageRequest {
  limit: number;
  /** A cursor from a previous page, already checked with decodeEventsCursor. */
  cursor?: string | undefined;
  /** Only events of this CallbackCommand. */
  command?: string | undefined;
  /** Newest first (the CLI's "recent events"); the API answers oldest first. Default: false. */
  newestFirst?: boolean;
}

export interface EventsPage {
  events: EventView[];
  /** Present when more events may follow: pass it back as `cursor`. */
  nextCursor: string | null;
}

/** Reads a group's state item and its events; what GET /groups/... and `npm run group` show. */
export interface GroupReader {
  /** The state; `attributesTruncated: true` when its attributes did not all fit the item. */
  readState(groupId: string): Promise<(GroupStateView & { attributesTruncated?: true }) | undefined>;
  readEvents(groupId: string, request: EventsPageRequest): Promise<EventsPage>;
  /** One event, its body whole; undefined when the group has no such event. */
  readEvent(groupId: string, key: { eventTime: number; deliveryId: string }): Promise<EventView | undefined>;
}

/** A command filter can leave a DynamoDB page empty; this many Query calls at most fill one answer. */
const MAX_QUERIES_PER_PAGE = 10;

/**
 * What one answer's events may take, serialized: Lambda refuses a response over 6 MB, and the rest of the answer
 * is small. A page ends early (with a cursor) rather than grow past it.
 */
export const EVENTS_RESPONSE_BUDGET_BYTES = 5_000_000;

/** The common attributes first, in the order docs/reference.md lists them; then the command's typed ones. */
const LEADING_ATTRIBUTES = ['groupId', 'command', 'eventTime', 'eventTimeSource', 'deliveryId'] as const;

/**
 * The item as the API shows it: keys, the TTL attribute and how the body is stored are storage details; `body`
 * is the text as received, whole, however it is stored. An event whose text alone would break the response
 * limit (a body of escape-heavy JSON near the input limit) carries its body gzip-compressed, base64, instead.
 */
const eventView = async (
  item: Record<string, AttributeValue>,
  readParts: BodyPartsReader,
  textFits: boolean,
): Promise<EventView> => {
  const { pk: _, sk: __, expiresAt: ___, ...attributes } = item;
  const storage: readonly string[] = BODY_STORAGE_ATTRIBUTES;
  const plain = plainObject(Object.fromEntries(Object.entries(attributes).filter(([name]) => !storage.includes(name))));
  const leading = Object.fromEntries(
    LEADING_ATTRIBUTES.filter((name) => name in plain).map((name) => [name, plain[name] as PlainValue]),
  );
  if (textFits) return { ...leading, ...plain, body: await bodyTextOf(item, readParts) };
  const compressed = (await compressedBodyOf(item, readParts)) ?? Buffer.alloc(0);
  return { ...leading, ...plain, bodyGzipBase64: compressed.toString('base64') };
};

const serializedBytes = (view: EventView): number => Buffer.byteLength(JSON.stringify(view), 'utf8');

export const dynamoGroupReader = ({
  client,
  tableName,
}: {
  client: DynamoDBClient;
  tableName: string;
}): GroupReader => {
  const readParts = dynamoBodyPartsReader(client, tableName);

  const send = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw new StoreError(`DynamoDB ${what} failed`, { cause: error });
    }
  };

  return {
    async readState(groupId) {
      const stored = await readStoredState(client, tableName, groupId);
      if (stored === undefined) return undefined;
      return { ...groupStateView(stored.state), ...(stored.attributesTruncated ? { attributesTruncated: true } : {}) };
    },

    /** `GetItem` of the event's key, consistent: a published event is read right after it was recorded. */
    async readEvent(groupId, { eventTime, deliveryId }) {
      const { Item } = await send('GetItem', () =>
        client.send(
          new GetItemCommand({
            TableName: tableName,
            Key: { pk: { S: groupPartitionKey(groupId) }, sk: { S: eventSortKey(eventTime, deliveryId) } },
            ConsistentRead: true,
          }),
        ),
      );
      if (Item === undefined) return undefined;
      const view = await eventView(Item, readParts, true);
      return serializedBytes(view) > EVENTS_RESPONSE_BUDGET_BYTES ? eventView(Item, readParts, false) : view;
    },

    /**
     * `Query pk = GROUP#<id> AND begins_with(sk, 'EVENT#')`, in sort-key (EventTime) order, with the command as
     * a filter. Since DynamoDB filters after it reads, one answer may take several Query calls.
     */
    async readEvents(groupId, { limit, cursor, command, newestFirst = false }) {
      const events: EventView[] = [];
      let startAfter = cursor === undefined ? undefined : decodeEventsCursor(cursor);
      let more = true;
      let responseBytes = 0;
      let fullAfter: string | undefined;
      for (
        let query = 0;
        query < MAX_QUERIES_PER_PAGE && more && events.length < limit && fullAfter === undefined;
        query += 1
      ) {
        const input: QueryCommandInput = {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
          ExpressionAttributeValues: {
            ':pk': { S: groupPartitionKey(groupId) },
            ':events': { S: EVENT_SORT_KEY_PREFIX },
            ...(command === undefined ? {} : { ':command': { S: command } }),
          },
          ...(command === undefined ? {} : { FilterExpression: 'command = :command' }),
          ScanIndexForward: !newestFirst,
          Limit: limit - events.length,
          ...(startAfter === undefined
            ? {}
            : { ExclusiveStartKey: { pk: { S: groupPartitionKey(groupId) }, sk: { S: startAfter } } }),
        };
        const page = await send('Query', () => client.send(new QueryCommand(input)));
        for (const item of page.Items ?? []) {
          let view = await eventView(item, readParts, true);
          if (events.length === 0 && serializedBytes(view) > EVENTS_RESPONSE_BUDGET_BYTES)
            view = await eventView(item, readParts, false);
          const bytes = serializedBytes(view);
          if (events.length > 0 && responseBytes + bytes > EVENTS_RESPONSE_BUDGET_BYTES) {
            fullAfter = startAfter;
            break;
          }
          events.push(view);
          responseBytes += bytes;
          startAfter = item.sk?.S;
        }
        if (fullAfter === undefined) {
          startAfter = page.LastEvaluatedKey?.sk?.S;
          more = startAfter !== undefined;
        }
      }
      if (fullAfter !== undefined) return { events, nextCursor: encodeEventsCursor(fullAfter) };
      return { events, nextCursor: more && startAfter !== undefined ? encodeEventsCursor(startAfter) : null };
    },
  };
};
