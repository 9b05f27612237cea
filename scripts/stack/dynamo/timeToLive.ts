import { DeleteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isConditionFailure } from '../../../lib/dynamo/errors.js';
import { scanPages } from '../../../lib/dynamo/scanPages.js';

/** The table's TTL attribute (serverless.yml: TimeToLiveSpecification), epoch seconds. */
export const TIME_TO_LIVE_ATTRIBUTE = 'expiresAt';

/**
 * What DynamoDB's TTL does in AWS, for the local engines that do not (dynalite has no UpdateTimeToLive): deletes
 * every item whose `expiresAt` is before `nowSeconds`, each DeleteItem conditional on it still being so, so an item
 * given a later expiry (or none) in between stays. A paged Scan of the keys. Returns how many items it deleted.
 */
export const deleteExpiredItems = async (
  client: DynamoDBClient,
  tableName: string,
  nowSeconds: number,
): Promise<number> => {
  const expired = {
    ConditionExpression: '#expiresAt < :now',
    ExpressionAttributeNames: { '#expiresAt': TIME_TO_LIVE_ATTRIBUTE },
    ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
  };
  let deleted = 0;
  const pages = scanPages(client, {
    TableName: tableName,
    FilterExpression: expired.ConditionExpression,
    ProjectionExpression: 'pk, sk',
    ExpressionAttributeNames: expired.ExpressionAttributeNames,
    ExpressionAttributeValues: expired.ExpressionAttributeValues,
  });
  for await (const page of pages) {
    for (const key of page.Items ?? []) {
      try {
        await client.send(new DeleteItemCommand({ TableName: tableName, Key: key, ...expired }));
        deleted += 1;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
  }
  return deleted;
};
