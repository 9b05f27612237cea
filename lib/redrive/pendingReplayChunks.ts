import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { StoreError } from '../dynamo/errors.js';
import {
  PENDING_REPLAY_CONFLICT_SORT_KEY,
  PENDING_REPLAY_HEAD_SORT_KEY,
  pendingReplayChunkSortKey,
  pendingReplayPartitionKey,
} from '../dynamo/tableKeys.js';
import {
  type ReplayChunk,
  type ReplayRecord,
  type ReplayRecordHead,
  type ReplaySealing,
  sealingOf,
} from '../webhook/replayRecord.js';
import { replayRecordFromChunks } from './replayRecordsInLog.js';

/** Pending pieces are needed only until the rest of their record's lines arrive: minutes, kept a day. */
const PENDING_TTL_SECONDS = 86_400;

/**
 * Where the redrive keeps the pieces of a split replay record that reached it in different batches of log lines:
 * each head and chunk is one item, and whoever stores the last piece finds them all (a consistent Query after its
 * own writes) and gets the record back. Storing the same piece twice writes the same item again.
 */
export interface PendingReplayChunks {
  /**
   * Stores the pieces; returns every record they complete, and the heads of records one of whose chunk indexes
   * came twice with different content (never to be recorded).
   */
  add(
    heads: readonly ReplayRecordHead[],
    chunks: readonly ReplayChunk[],
  ): Promise<{ records: ReplayRecord[]; conflicting: ReplayRecordHead[] }>;
}

type Item = Record<string, AttributeValue>;

const headOf = (id: string, item: Item): ReplayRecordHead | undefined => {
  const count = Number(item.count?.N);
  const receivedAt = Number(item.receivedAt?.N);
  const query = JSON.parse(item.query?.S ?? 'null') as Record<string, string> | null;
  const sealing = JSON.parse(item.sealing?.S ?? '{}') as ReplaySealing;
  return query === null ? undefined : { query, receivedAt, bodyChunks: { id, count }, ...sealingOf(sealing) };
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

  const completedRecord = async (
    id: string,
  ): Promise<{ record: ReplayRecord } | { conflicting: ReplayRecordHead } | undefined> => {
    const items = await pieces(id);
    const headItem = items.find((item) => item.sk?.S === PENDING_REPLAY_HEAD_SORT_KEY);
    const head = headItem === undefined ? undefined : headOf(id, headItem);
    if (head === undefined) return undefined;
    if (items.some((item) => item.sk?.S === PENDING_REPLAY_CONFLICT_SORT_KEY)) return { conflicting: head };
    const chunks = Array.from({ length: head.bodyChunks.count }, (_, index) => {
      const item = items.find((candidate) => candidate.sk?.S === pendingReplayChunkSortKey(index));
      return item?.chunk?.B === undefined
        ? undefined
        : { id, index, count: head.bodyChunks.count, bodyBase64: Buffer.from(item.chunk.B).toString('base64') };
    });
    return chunks.every((chunk) => chunk !== undefined) ? { record: replayRecordFromChunks(head, chunks) } : undefined;
  };

  /** A chunk is written once: the same content again is a no-op, another content marks its record conflicting. */
  const putChunk = async (chunk: ReplayChunk) => {
    const bytes = Buffer.from(chunk.bodyBase64, 'base64');
    const key = { pk: { S: pendingReplayPartitionKey(chunk.id) }, sk: { S: pendingReplayChunkSortKey(chunk.index) } };
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...key, chunk: { B: bytes }, ...expiresAt() },
          ConditionExpression: 'attribute_not_exists(pk) OR chunk = :chunk',
          ExpressionAttributeValues: { ':chunk': { B: bytes } },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) {
        throw new StoreError('DynamoDB PutItem of a pending replay piece failed', { cause: error });
      }
      await put({
        pk: key.pk,
        sk: { S: PENDING_REPLAY_CONFLICT_SORT_KEY },
        index: { N: String(chunk.index) },
        ...expiresAt(),
      });
    }
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
            sealing: { S: JSON.stringify(sealingOf(head)) },
            ...expiresAt(),
          }),
        ),
        ...chunks.map(putChunk),
      ]);
      const ids = new Set([...heads.map((head) => head.bodyChunks.id), ...chunks.map((chunk) => chunk.id)]);
      const found = await Promise.all([...ids].map(completedRecord));
      return {
        records: found.flatMap((result) => (result !== undefined && 'record' in result ? [result.record] : [])),
        conflicting: found.flatMap((result) =>
          result !== undefined && 'conflicting' in result ? [result.conflicting] : [],
        ),
      };
    },
  };
};
