import { randomUUID } from 'node:crypto';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../scripts/embeddedDynamo.js';
import { ensureEventsTable, scanAllItems } from '../../scripts/eventsTable.js';
import { localDynamoClient } from '../../scripts/localDynamoClient.js';

export interface TestTable {
  dynamo: EmbeddedDynamo;
  client: DynamoDBClient;
  /** A fresh, empty table per call, so tests do not see each other's items. */
  createTable(): Promise<string>;
  scan(tableName: string): Promise<Record<string, AttributeValue>[]>;
  close(): Promise<void>;
}

/** A real DynamoDB API (in-memory dynalite on a free port), started and stopped by the test itself. */
export const startTestTable = async (): Promise<TestTable> => {
  const dynamo = await startEmbeddedDynamo();
  const client = localDynamoClient(dynamo.endpoint);
  return {
    dynamo,
    client,
    async createTable() {
      const tableName = `events-${randomUUID()}`;
      await ensureEventsTable(client, tableName);
      return tableName;
    },
    scan: (tableName) => scanAllItems(client, tableName),
    async close() {
      client.destroy();
      await dynamo.close();
    },
  };
};
