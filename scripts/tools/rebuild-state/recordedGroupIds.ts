import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scanPages } from '../../../lib/dynamo/scanPages.js';
import { EVENT_SORT_KEY_PREFIX, groupStateSortKey } from '../../../lib/dynamo/tableKeys.js';

/**
 * Every group with an event or a state item in the table, in first-seen order: a paged Scan of the keys and
 * `groupId` only. A full read of the table, for `rebuild-state --all`, never for the functions.
 */
export const recordedGroupIds = async (client: DynamoDBClient, tableName: string): Promise<string[]> => {
  const groupIds = new Set<string>();
  const pages = scanPages(client, {
    TableName: tableName,
    ProjectionExpression: '#sk, #groupId',
    ExpressionAttributeNames: { '#sk': 'sk', '#groupId': 'groupId' },
  });
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const sortKey = item.sk?.S ?? '';
      const groupId = item.groupId?.S;
      if (groupId !== undefined && (sortKey.startsWith(EVENT_SORT_KEY_PREFIX) || sortKey === groupStateSortKey()))
        groupIds.add(groupId);
    }
  }
  return [...groupIds];
};
