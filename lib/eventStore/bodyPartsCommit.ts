import { type AttributeValue, type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { type ItemImage, numberOf, plainValue, textOf } from '../dynamo/attributeValue.js';
import { isConditionFailure, StoreError } from '../dynamo/errors.js';
import { queryAllItems } from '../dynamo/queryAllItems.js';
import { bodyPartSortKey, EVENT_SORT_KEY_PREFIX, groupPartitionKey } from '../dynamo/tableKeys.js';

/** What committing one event's parts found: how many it committed, and the sort keys of those already gone. */
export interface BodyPartsCommit {
  committed: number;
  missing: string[];
}

/** Commits the body parts of one recorded event item; a no-op for an event stored whole. */
export type BodyPartsCommitter = (eventItem: ItemImage) => Promise<BodyPartsCommit>;

const textAttribute = (value: unknown): string | undefined => textOf(plainValue(value));

const integerAttribute = (value: unknown): number | undefined => {
  const number = numberOf(plainValue(value));
  return number !== undefined && Number.isSafeInteger(number) ? number : undefined;
};

/** The keys of an event item's parts, from the attributes that name them; none for an event stored whole. */
export const bodyPartKeysOf = (eventItem: ItemImage): Record<'pk' | 'sk', AttributeValue>[] => {
  const pk = textAttribute(eventItem.pk);
  const count = integerAttribute(eventItem.bodyParts) ?? 0;
  const digest = textAttribute(eventItem.bodyPartsDigest) ?? '';
  const deliveryId = textAttribute(eventItem.deliveryId) ?? '';
  if (pk === undefined) return [];
  return Array.from({ length: count }, (_, index) => ({
    pk: { S: pk },
    sk: { S: bodyPartSortKey(deliveryId, digest, index) },
  }));
};

/**
 * The parts of a recorded event item take its own `expiresAt` (EVENT_RETENTION_DAYS), or lose theirs when it has
 * none: from then on they live as long as their event. One UpdateItem per part, conditional on the part being there,
 * so a part already deleted is never written again (as a part without its chunk). Idempotent. Each UpdateItem costs
 * the part's size in write units, as writing it did.
 */
export const dynamoBodyPartsCommitter =
  (client: DynamoDBClient, tableName: string): BodyPartsCommitter =>
  async (eventItem) => {
    const expiresAt = integerAttribute(eventItem.expiresAt);
    const update =
      expiresAt === undefined
        ? { UpdateExpression: 'REMOVE #expiresAt' }
        : {
            UpdateExpression: 'SET #expiresAt = :expiresAt',
            ExpressionAttributeValues: { ':expiresAt': { N: String(expiresAt) } },
          };
    const outcomes = await Promise.all(
      bodyPartKeysOf(eventItem).map(async (key) => {
        try {
          await client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: key,
              ...update,
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
            }),
          );
          return { sortKey: key.sk.S ?? '', found: true };
        } catch (error) {
          if (isConditionFailure(error)) return { sortKey: key.sk.S ?? '', found: false };
          throw new StoreError('DynamoDB UpdateItem of a body part failed', { cause: error });
        }
      }),
    );
    return {
      committed: outcomes.filter(({ found }) => found).length,
      missing: outcomes.filter(({ found }) => !found).map(({ sortKey }) => sortKey),
    };
  };

/**
 * Commits the parts of every event of a group stored in parts (`npm run rebuild-state`): a consistent Query of the
 * group's events, keys and part attributes only.
 */
export const commitGroupBodyParts = async (
  client: DynamoDBClient,
  tableName: string,
  groupId: string,
  commit: BodyPartsCommitter = dynamoBodyPartsCommitter(client, tableName),
): Promise<BodyPartsCommit> => {
  const events = await queryAllItems(
    client,
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
      FilterExpression: 'attribute_exists(bodyParts)',
      ProjectionExpression: 'pk, sk, deliveryId, bodyParts, bodyPartsDigest, expiresAt',
      ExpressionAttributeValues: { ':pk': { S: groupPartitionKey(groupId) }, ':events': { S: EVENT_SORT_KEY_PREFIX } },
      ConsistentRead: true,
    },
    `the events of ${groupId} stored in parts`,
  );
  const commits = [];
  for (const event of events) commits.push(await commit(event));
  return {
    committed: commits.reduce((sum, { committed }) => sum + committed, 0),
    missing: commits.flatMap(({ missing }) => missing),
  };
};
