import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { StoreError } from '../dynamo/errors.js';
import { EVENT_SORT_KEY_PREFIX, groupPartitionKey } from '../eventStore/keys.js';
import { type StateMergeInput, stateMergeInputFromItem } from './mergeInput.js';

/** Only what the merge reads: the body (up to 192 KB an event) stays in the table. */
const MERGED_ATTRIBUTES = ['sk', 'groupId', 'command', 'eventTime', 'deliveryId', 'groupType', 'ownerAccount', 'groupName', 'optionType', 'groupAttr', 'topicId'];

/**
 * Every recorded event of a group, in sort-key order (the replay's order): `Query pk = GROUP#<id> AND
 * begins_with(sk, 'EVENT#')`, consistent, page after page (DynamoDB returns at most 1 MB a page).
 */
export const readGroupEvents = async (client: DynamoDBClient, tableName: string, groupId: string): Promise<StateMergeInput[]> => {
  const events: StateMergeInput[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    let page;
    try {
      page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :events)',
          ExpressionAttributeNames: {
            '#pk': 'pk',
            ...Object.fromEntries(MERGED_ATTRIBUTES.map((name) => [`#${name}`, name])),
          },
          ExpressionAttributeValues: { ':pk': { S: groupPartitionKey(groupId) }, ':events': { S: EVENT_SORT_KEY_PREFIX } },
          ProjectionExpression: MERGED_ATTRIBUTES.map((name) => `#${name}`).join(', '),
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
    } catch (error) {
      throw new StoreError(`DynamoDB Query of the events of ${groupId} failed`, { cause: error });
    }
    for (const item of page.Items ?? []) {
      const event = stateMergeInputFromItem(item);
      if (event !== undefined) events.push(event);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return events;
};
