import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { StoreError } from '../dynamo/errors.js';
import { queryAllItems } from '../dynamo/queryAllItems.js';
import { bodyPartsPrefix } from '../dynamo/tableKeys.js';

type Item = Record<string, AttributeValue>;

/** Reads the compressed parts of one body, in order (the event item names them). */
export type BodyPartsReader = (partitionKey: string, prefix: string) => Promise<Uint8Array[]>;

/** The event item's attributes that describe how its body is stored; readers show `body` instead. */
export const BODY_STORAGE_ATTRIBUTES = ['body', 'bodyGzip', 'bodyParts', 'bodyPartsDigest', 'bodyBytes'] as const;

/** True when reading the body needs the part items. */
export const hasBodyParts = (item: Item): boolean => item.bodyParts?.N !== undefined;

/**
 * The compressed body of an item stored in parts, checked against the item's digest: a missing or foreign part
 * is a StoreError, never a wrong body.
 */
const compressedFromParts = async (item: Item, readParts: BodyPartsReader): Promise<Buffer> => {
  const digest = item.bodyPartsDigest?.S ?? '';
  const chunks = await readParts(item.pk?.S ?? '', bodyPartsPrefix(item.deliveryId?.S ?? '', digest));
  const compressed = Buffer.concat(chunks);
  const actual = createHash('sha256').update(compressed).digest('hex').slice(0, 32);
  if (chunks.length !== Number(item.bodyParts?.N) || actual !== digest) {
    throw new StoreError(
      `the body parts of ${item.sk?.S ?? 'an event'} are incomplete (${chunks.length} of ${item.bodyParts?.N})`,
    );
  }
  return compressed;
};

/** The compressed body: inline (`bodyGzip`) or in parts. Undefined for a body stored as text. */
export const compressedBodyOf = async (item: Item, readParts: BodyPartsReader): Promise<Buffer | undefined> => {
  if (item.bodyGzip?.B !== undefined) return Buffer.from(item.bodyGzip.B);
  return hasBodyParts(item) ? compressedFromParts(item, readParts) : undefined;
};

/** An event item's body exactly as received, however it is stored. */
export const bodyTextOf = async (item: Item, readParts: BodyPartsReader): Promise<string> => {
  if (item.body?.S !== undefined) return item.body.S;
  const compressed = await compressedBodyOf(item, readParts);
  return compressed === undefined ? '' : gunzipSync(compressed).toString('utf8');
};

/** The parts through a consistent Query: they were written before their event item, so they are all there. */
export const dynamoBodyPartsReader =
  (client: DynamoDBClient, tableName: string): BodyPartsReader =>
  async (partitionKey, prefix) => {
    const parts = await queryAllItems(
      client,
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: partitionKey }, ':prefix': { S: prefix } },
        ConsistentRead: true,
      },
      'body parts',
    );
    return parts.flatMap((part) => (part.chunk?.B === undefined ? [] : [part.chunk.B]));
  };
