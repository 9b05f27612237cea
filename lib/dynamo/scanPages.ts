import {
  type AttributeValue,
  type DynamoDBClient,
  ScanCommand,
  type ScanCommandInput,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';

/**
 * A Scan's pages, one after another (DynamoDB answers at most 1 MB a page), for the tools that read a whole
 * table; the functions never scan. A page at a time, so a caller that keeps only a summary never holds the table.
 */
export async function* scanPages(
  client: DynamoDBClient,
  input: Omit<ScanCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<ScanCommandOutput> {
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ ...input, ExclusiveStartKey: startKey }));
    yield page;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
}
