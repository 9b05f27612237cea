import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scanPages } from '../../../lib/dynamo/scanPages.js';
import { EVENT_SORT_KEY_PREFIX, groupStateSortKey } from '../../../lib/dynamo/tableKeys.js';

/**
 * The groups whose state item does not count as many events as the table holds for them (or that have events
 * and no state): a paged Scan of keys, `groupId` and `eventCount` only. For the local table, never for AWS.
 */
export const staleGroupIds = async (client: DynamoDBClient, tableName: string): Promise<string[]> => {
  const recorded = new Map<string, number>();
  const counted = new Map<string, number>();
  const pages = scanPages(client, {
    TableName: tableName,
    ProjectionExpression: '#sk, #groupId, #eventCount',
    ExpressionAttributeNames: { '#sk': 'sk', '#groupId': 'groupId', '#eventCount': 'eventCount' },
  });
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const groupId = item.groupId?.S;
      const sortKey = item.sk?.S ?? '';
      if (groupId === undefined) continue;
      if (sortKey.startsWith(EVENT_SORT_KEY_PREFIX)) recorded.set(groupId, (recorded.get(groupId) ?? 0) + 1);
      if (sortKey === groupStateSortKey()) counted.set(groupId, Number(item.eventCount?.N ?? -1));
    }
  }
  return [...recorded].filter(([groupId, events]) => counted.get(groupId) !== events).map(([groupId]) => groupId);
};
