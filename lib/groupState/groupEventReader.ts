import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { queryAllItems } from '../dynamo/queryAllItems.js';
import { EVENT_SORT_KEY_PREFIX, groupPartitionKey } from '../eventStore/keys.js';
import { type StateMergeInput, stateMergeInputFromItem } from './mergeInput.js';

/** Only what the merge reads: the body stays in the table. */
const MERGED_ATTRIBUTES = ['sk', 'groupId', 'command', 'eventTime', 'deliveryId', 'groupType', 'ownerAccount', 'groupName', 'optionType', 'groupAttr', 'topicId'];

/**
 * Every recorded event of a group, in sort-key order (the replay's order): `Query pk = GROUP#<id> AND
 * begins_with(sk, 'EVENT#')`, consistent, page after page (DynamoDB returns at most 1 MB a page).
 */
export const readGroupEvents = async (client: DynamoDBClient, tableName: string, groupId: string): Promise<StateMergeInput[]> => {
  const items = await queryAllItems(
    client,
    {
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :events)',
      ExpressionAttributeNames: {
        '#pk': 'pk',
        ...Object.fromEntries(MERGED_ATTRIBUTES.map((name) => [`#${name}`, name])),
      },
      ExpressionAttributeValues: { ':pk': { S: groupPartitionKey(groupId) }, ':events': { S: EVENT_SORT_KEY_PREFIX } },
      ProjectionExpression: MERGED_ATTRIBUTES.map((name) => `#${name}`).join(', '),
      ConsistentRead: true,
    },
    `the events of ${groupId}`,
  );
  return items.flatMap((item) => {
    const event = stateMergeInputFromItem(item);
    return event === undefined ? [] : [event];
  });
};
