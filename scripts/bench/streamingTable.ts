import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { startDynamodbLocal } from '../stack/dynamo/dynamodbLocal.js';
import { ensureEventsTable } from '../stack/dynamo/eventsTable.js';
import { LOCAL_CREDENTIALS, localDynamoClient } from '../stack/dynamo/localDynamoClient.js';

/** An events table with its stream, on a DynamoDB Local of its own, and the clients to write it and read its stream. */
export interface StreamingTable {
  endpoint: string;
  client: DynamoDBClient;
  streamsClient: DynamoDBStreamsClient;
  tableName: string;
}

/**
 * Runs `run` against a fresh DynamoDB Local (its stream slows with every record it holds, so each measurement gets
 * its own), and stops it afterwards.
 */
export const withStreamingTable = async <T>(tableName: string, run: (table: StreamingTable) => Promise<T>) => {
  const dynamo = await startDynamodbLocal();
  const client = localDynamoClient(dynamo.endpoint);
  const streamsClient = new DynamoDBStreamsClient({
    endpoint: dynamo.endpoint,
    region: 'local',
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await ensureEventsTable(client, tableName, { stream: true });
    return await run({ endpoint: dynamo.endpoint, client, streamsClient, tableName });
  } finally {
    client.destroy();
    streamsClient.destroy();
    await dynamo.close();
  }
};
