import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/** Local DynamoDB accepts any credentials. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export const localDynamoClient = (endpoint: string, maxAttempts = 3): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS, maxAttempts });

/** True when a DynamoDB API answers at `endpoint` (e.g. the one `npm start` runs). */
export const dynamoAnswersAt = async (endpoint: string): Promise<boolean> => {
  const client = localDynamoClient(endpoint, 1);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
};
