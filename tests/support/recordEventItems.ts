import { type AttributeValue, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { groupPartitionKey } from '../../lib/dynamo/tableKeys.js';
import type { StateMergeInput } from '../../lib/groupState/fold.js';

/** The event item the webhook would have written for `event` (the attributes the merge reads). */
export const eventItemOf = (event: StateMergeInput): Record<string, AttributeValue> => ({
  pk: { S: groupPartitionKey(event.groupId) },
  sk: { S: event.sortKey },
  groupId: { S: event.groupId },
  command: { S: event.command },
  eventTime: { N: String(event.eventTime) },
  deliveryId: { S: event.deliveryId },
  ...(event.groupType === undefined ? {} : { groupType: { S: event.groupType } }),
  ...(event.ownerAccount === undefined ? {} : { ownerAccount: { S: event.ownerAccount } }),
  ...(event.groupName === undefined ? {} : { groupName: { S: event.groupName } }),
  ...(event.optionType === undefined ? {} : { optionType: { S: event.optionType } }),
  ...(event.groupAttr === undefined
    ? {}
    : {
        groupAttr: {
          L: event.groupAttr.map(
            ({ key, value }): AttributeValue => ({
              M: value === undefined ? { key: { S: key } } : { key: { S: key }, value: { S: value } },
            }),
          ),
        },
      }),
  ...(event.topicId === undefined ? {} : { topicId: { S: event.topicId } }),
});

/** Records the events as the event store would, before their state is updated (the store's precondition). */
export const recordEventItems = async (
  client: DynamoDBClient,
  tableName: string,
  events: readonly StateMergeInput[],
): Promise<void> => {
  for (const event of new Map(events.map((each) => [each.sortKey, each])).values()) {
    await client.send(new PutItemCommand({ TableName: tableName, Item: eventItemOf(event) }));
  }
};
