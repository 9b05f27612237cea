import { type AttributeValue, BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { scanPages } from '../../../lib/dynamo/scanPages.js';
import { EVENT_SORT_KEY_PREFIX } from '../../../lib/dynamo/tableKeys.js';
import { describeError } from '../../../lib/log.js';
import { readJsonFile, writeJsonFile } from '../jsonFile.js';
import { repeatUntilStopped } from '../process/repeatUntilStopped.js';
import { lambdaImage } from './lambdaImage.js';
import type { StreamFunction } from './streamPoller.js';

type Item = Record<string, AttributeValue>;

/** BatchGetItem's most keys a call. */
const KEYS_PER_BATCH_GET = 100;

const keyOf = (item: Item): string => `${item.pk?.S ?? ''}\n${item.sk?.S ?? ''}`;

/** The table's event items not handed on yet, read whole, oldest receipt first (the order they were written in). */
const newEventItems = async (client: DynamoDBClient, tableName: string, handedOn: Set<string>): Promise<Item[]> => {
  const keys: Item[] = [];
  for await (const page of scanPages(client, {
    TableName: tableName,
    ProjectionExpression: 'pk, sk',
    FilterExpression: 'begins_with(sk, :events)',
    ExpressionAttributeValues: { ':events': { S: EVENT_SORT_KEY_PREFIX } },
    ConsistentRead: true,
  })) {
    for (const key of page.Items ?? []) if (!handedOn.has(keyOf(key))) keys.push(key);
  }
  const items: Item[] = [];
  for (let start = 0; start < keys.length; start += KEYS_PER_BATCH_GET) {
    let request: Record<string, { Keys: Item[]; ConsistentRead: boolean }> | undefined = {
      [tableName]: { Keys: keys.slice(start, start + KEYS_PER_BATCH_GET), ConsistentRead: true },
    };
    while (request !== undefined && Object.keys(request).length > 0) {
      const answer = await client.send(new BatchGetItemCommand({ RequestItems: request }));
      items.push(...(answer.Responses?.[tableName] ?? []));
      request = answer.UnprocessedKeys as typeof request;
    }
  }
  return items.sort(
    (first, second) =>
      Number(first.receivedAt?.N ?? 0) - Number(second.receivedAt?.N ?? 0) || keyOf(first).localeCompare(keyOf(second)),
  );
};

/** The INSERT record DynamoDB's stream would carry for the item. */
const insertRecord = (item: Item, sequenceNumber: number): DynamoDBRecord => ({
  eventID: String(sequenceNumber),
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  dynamodb: {
    Keys: { pk: item.pk, sk: item.sk } as never,
    NewImage: lambdaImage(item) as never,
    SequenceNumber: String(sequenceNumber).padStart(21, '0'),
    ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

export interface TableScanFeedOptions {
  client: DynamoDBClient;
  tableName: string;
  invoke: StreamFunction;
  /** Records per call, as the function's mapping sends them. */
  batchSize: number;
  /** Where the keys already handed on are kept, so a restart hands on only what is new. */
  handedOnFile: string;
  /** The shortest pause between two scans. Default: 500 ms. */
  minPauseMs?: number;
}

/**
 * On an engine without streams (dynalite, the default of `npm start`): what the table's stream and its mapping do for
 * a function on DynamoDB Local. Each pass scans the event items' keys, reads those it has not handed on yet and hands
 * them to the function as INSERT records, in batches; a batch the function fails (or reports a failed record of) is
 * handed on again from there at the next pass. Only event items: duplicates, time claims, body parts and state items
 * are never handed on, as the mapping's filter passes none of them.
 */
export const startTableScanFeed = ({
  client,
  tableName,
  invoke,
  batchSize,
  handedOnFile,
  minPauseMs = 500,
}: TableScanFeedOptions): { stop(): Promise<void> } => {
  const handedOn = new Set(readJsonFile<string[]>(handedOnFile, []));
  let sequenceNumber = 0;
  const passes = repeatUntilStopped(
    async (isRunning) => {
      const items = await newEventItems(client, tableName, handedOn);
      for (let start = 0; start < items.length && isRunning(); start += batchSize) {
        const batch = items.slice(start, start + batchSize);
        const records = batch.map((item, index) => insertRecord(item, sequenceNumber + index + 1));
        sequenceNumber += batch.length;
        const response = await invoke({ Records: records });
        const failedAt = response?.batchItemFailures?.[0]?.itemIdentifier;
        const failedIndex =
          failedAt === undefined ? -1 : records.findIndex((record) => record.dynamodb?.SequenceNumber === failedAt);
        const done = failedIndex === -1 ? batch : batch.slice(0, failedIndex);
        for (const item of done) handedOn.add(keyOf(item));
        writeJsonFile(handedOnFile, [...handedOn]);
        if (done.length < batch.length) return;
      }
    },
    { minPauseMs, onError: (error) => console.error(`event feed: ${describeError(error)}`) },
  );
  return { stop: () => passes.stop() };
};
