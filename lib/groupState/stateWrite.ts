import { type AttributeValue, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { StoreError, isConditionFailure } from '../dynamo/errors.js';
import { type StoredGroupState, groupStateFromItem, groupStateKey } from './stateItem.js';

/** The group's state item, read consistently; undefined when there is none. */
export const readStoredState = async (client: DynamoDBClient, tableName: string, groupId: string): Promise<StoredGroupState | undefined> => {
  try {
    const read = await client.send(new GetItemCommand({ TableName: tableName, Key: groupStateKey(groupId), ConsistentRead: true }));
    return read.Item === undefined ? undefined : groupStateFromItem(read.Item);
  } catch (error) {
    throw new StoreError('DynamoDB GetItem of the group state failed', { cause: error });
  }
};

/**
 * Writes a state item only if the stored one still has the version read (`attribute_not_exists(pk)` when
 * there was none). False when another writer came first: the caller reads again.
 */
export const putStateIfVersion = async (
  client: DynamoDBClient,
  tableName: string,
  item: Record<string, AttributeValue>,
  readVersion: number | undefined,
): Promise<boolean> => {
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: item,
        ...(readVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: '#version = :version',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':version': { N: String(readVersion) } },
            }),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw new StoreError('DynamoDB PutItem of the group state failed', { cause: error });
  }
};
