import { type AttributeValue, type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { StoreError } from '../dynamo/errors.js';
import {
  PENDING_REPLAY_HEAD_SORT_KEY,
  pendingReplayChunkSortKey,
  pendingReplayPartitionKey,
} from '../dynamo/tableKeys.js';
import type { ReplayChunk, ReplayRecord, ReplayRecordHead } from '../webhook/replayRecord.js';
import { replayRecordFromChunks } from './replayRecordsInLog.js';

/** Pending pieces are needed only until the rest of their record's lines arrive: minutes, kept a day. */
const PENDING_TTL_SECONDS = 86_400;

/**
 * Where the redrive keeps the pieces of a split replay record that reached it in different batches of log lines:
 * each head and chunk is one item, and whoever stores the last piece finds them all (a consistent Query after its
 * own writes) and gets the record back. Storing the same piece twice writes the same item again.
 */
export interface PendingReplayChunks {
  /** Stores the pieces; returns every record they complete. */
  add(heads: readonly ReplayRecordHead[], chunks: readonly ReplayChunk[]): Promise<ReplayRecord[]>;
}

type Item = Record<string, AttributeValue>;

const headOf = (id: string, item: Item): ReplayRecordHead | undefined => {
  const count = Number(item.count?.N);
  const receivedAt = Number(item.receivedAt?.N);
  const query = JSON.parse(item.query?.S ?? 'null') as Record<string, string> | null;
  return query === null ? undefined : { query, receivedAt, bodyChunks: { id, count } };
};

export const dynamoPendingReplayChunks = ({
  client,
  tableName,
  now = Date.now,
}: {
  client: DynamoDBClient;
  tableName: string;
  now?: () => number;
}): PendingReplayChunks => {
  const send = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw new StoreError(`DynamoDB ${what} of a pending replay piece failed`, { cause: error });
    }
  };
  const put = (item: Item) =>
    send('PutItem', () => client.send(new PutItemCommand({ TableName: tableName, Item: item })));
  const expiresAt = () => ({ expiresAt: { N: String(Math.floor(now() / 1000) + PENDING_TTL_SECONDS) } });

  const pieces = async (id: string): Promise<Item[]> => {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await send('Query', () =>
        client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: pendingReplayPartitionKey(id) } },
            ConsistentRead: true,
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  };

  const completedRecord = async (id: string): Promise<ReplayRecord | undefined> => {
    const items = await pieces(id);
    const headItem = items.find((item) => item.sk?.S === PENDING_REPLAY_HEAD_SORT_KEY);
    const head = headItem === undefined ? undefined : headOf(id, headItem);
    if (head === undefined) return undefined;
    const chunks = Array.from({ length: head.bodyChunks.count }, (_, index) => {
      const item = items.find((candidate) => candidate.sk?.S === pendingReplayChunkSortKey(index));
      return item?.chunk?.B === undefined
        ? undefined
        : { id, index, count: head.bodyChunks.count, bodyBase64: Buffer.from(item.chunk.B).toString('base64') };
    });
    return chunks.every((chunk) => chunk !== undefined) ? replayRecordFromChunks(head, chunks) : undefined;
  };

  return {
    async add(heads, chunks) {
      await Promise.all([
        ...heads.map((head) =>
          put({
            pk: { S: pendingReplayPartitionKey(head.bodyChunks.id) },
            sk: { S: PENDING_REPLAY_HEAD_SORT_KEY },
            query: { S: JSON.stringify(head.query) },
            receivedAt: { N: String(head.receivedAt) },
            count: { N: String(head.bodyChunks.count) },
            ...expiresAt(),
          }),
        ),
        ...chunks.map((chunk) =>
          put({
            pk: { S: pendingReplayPartitionKey(chunk.id) },
            sk: { S: pendingReplayChunkSortKey(chunk.index) },
            chunk: { B: Buffer.from(chunk.bodyBase64, 'base64') },
            ...expiresAt(),
          }),
        ),
      ]);
      const ids = new Set([...heads.map((head) => head.bodyChunks.id), ...chunks.map((chunk) => chunk.id)]);
      const records = await Promise.all([...ids].map(completedRecord));
      return records.filter((record) => record !== undefined);
    },
  };
};
