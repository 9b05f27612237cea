import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { StoreError } from './errors.js';

/** A Query's pages, one after another (DynamoDB answers at most 1 MB a page), for a caller that keeps one at a time. */
export async function* queryPages(
  client: DynamoDBClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<QueryCommandOutput> {
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({ ...input, ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }) }),
    );
    yield page;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
}

/**
 * Every item a Query matches, page after page; a failure is a StoreError naming `what`.
 */
export const queryAllItems = async (
  client: DynamoDBClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  what: string,
): Promise<Record<string, AttributeValue>[]> => {
  const items: Record<string, AttributeValue>[] = [];
  try {
    for await (const page of queryPages(client, input)) items.push(...(page.Items ?? []));
  } catch (error) {
    throw new StoreError(`DynamoDB Query of ${what} failed`, { cause: error });
  }
  return items;
};
