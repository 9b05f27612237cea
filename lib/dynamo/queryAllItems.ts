import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { StoreError } from './errors.js';

/**
 * Every item a Query matches, page after page (DynamoDB answers at most 1 MB a page); a failure is a StoreError naming
 * `what`.
 */
export const queryAllItems = async (
  client: DynamoDBClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  what: string,
): Promise<Record<string, AttributeValue>[]> => {
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    let page: QueryCommandOutput;
    try {
      page = await client.send(
        new QueryCommand({ ...input, ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }) }),
      );
    } catch (error) {
      throw new StoreError(`DynamoDB Query of ${what} failed`, { cause: error });
    }
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
};
