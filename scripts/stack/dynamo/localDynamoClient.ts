import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/** Local DynamoDB accepts any credentials. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** A DynamoDB that accepts connections and never answers must not hang the local tools. */
const LOCAL_REQUEST_TIMEOUT_MS = 5_000;

export const localDynamoClient = (endpoint: string, maxAttempts = 3): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: LOCAL_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
  });

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
