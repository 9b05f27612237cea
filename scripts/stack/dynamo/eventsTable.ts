import {
  type AttributeValue,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { scanPages } from '../../../lib/dynamo/scanPages.js';

/**
 * The events table as serverless.yml declares it (the template test checks they agree). The stream only
 * where the engine has streams (DynamoDB Local; dynalite has none).
 */
export const eventsTableDefinition = (
  tableName: string,
  { stream = false }: { stream?: boolean } = {},
): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
});

const tableStatus = async (client: DynamoDBClient, tableName: string): Promise<string | undefined> => {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

/** Creates the table unless it exists, then waits until it is ACTIVE. Returns true when it was created. */
export const ensureEventsTable = async (
  client: DynamoDBClient,
  tableName: string,
  options: { stream?: boolean } = {},
): Promise<boolean> => {
  let created = false;
  if ((await tableStatus(client, tableName)) === undefined) {
    try {
      await client.send(new CreateTableCommand(eventsTableDefinition(tableName, options)));
      created = true;
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  for (let attempt = 0; (await tableStatus(client, tableName)) !== 'ACTIVE'; attempt += 1) {
    if (attempt >= 100) throw new Error(`table ${tableName} did not become ACTIVE`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return created;
};

/** Every item of the table, page after page, read consistently (for checks after a run, not for production). */
export const scanAllItems = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<Record<string, AttributeValue>[]> => {
  const items: Record<string, AttributeValue>[] = [];
  for await (const page of scanPages(client, { TableName: tableName, ConsistentRead: true }))
    items.push(...(page.Items ?? []));
  return items;
};
