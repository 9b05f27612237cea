import { join } from 'node:path';
import { GroupStateUpdates } from '../../../lib/config.js';
import {
  DEFAULT_LOCAL_DYNAMODB_PORT,
  LOCAL_SDK_APP_ID,
  LOCAL_TABLE_NAME,
  localDataPath,
  portFrom,
} from '../localSettings.js';
import { startDynamodbLocal } from './dynamodbLocal.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from './embeddedDynamo.js';
import { ensureEventsTable } from './eventsTable.js';
import { dynamoAnswersAt, LOCAL_CREDENTIALS, localDynamoClient } from './localDynamoClient.js';

export interface LocalDynamo {
  endpoint: string;
  /** Where it came from, for the start-up message. */
  origin: 'AWS_ENDPOINT_URL_DYNAMODB' | 'already running' | 'embedded' | 'DynamoDB Local';
  /** The table has a stream (DynamoDB Local started here): group state follows it, as in AWS. */
  streams: boolean;
  close(): Promise<void>;
}

/** LOCAL_DYNAMODB=dynamodb-local: AWS's DynamoDB Local (Java 17) with streams instead of the embedded dynalite. */
export const LocalDynamodbEngine = { Dynalite: 'dynalite', DynamodbLocal: 'dynamodb-local' } as const;

/** Where DynamoDB Local keeps `npm start`'s data (git-ignored), apart from dynalite's. */
const dynamodbLocalDataPath = join(localDataPath, '..', 'dynamodb-local');

/**
 * The DynamoDB local tools use: AWS_ENDPOINT_URL_DYNAMODB when set; else one already answering on
 * DYNAMODB_PORT (`npm start`'s); else an embedded dynalite on the shared data under .data/.
 * The events table is created if missing.
 */
export const openLocalDynamo = async ({
  env = process.env,
  listenOnDefaultPort,
}: {
  env?: NodeJS.ProcessEnv;
  /** `npm start` serves DYNAMODB_PORT; the invoke tool takes any free port. */
  listenOnDefaultPort: boolean;
}): Promise<LocalDynamo> => {
  const tableName = env.TABLE_NAME || LOCAL_TABLE_NAME;
  const configured = env.AWS_ENDPOINT_URL_DYNAMODB;
  if (configured) {
    await ensureTableQuietly(configured, tableName);
    return { endpoint: configured, origin: 'AWS_ENDPOINT_URL_DYNAMODB', streams: false, close: async () => {} };
  }
  const port = portFrom(env.DYNAMODB_PORT, DEFAULT_LOCAL_DYNAMODB_PORT);
  const running = `http://localhost:${port}`;
  if (await dynamoAnswersAt(running)) {
    await ensureTableQuietly(running, tableName);
    return { endpoint: running, origin: 'already running', streams: false, close: async () => {} };
  }
  if (env.LOCAL_DYNAMODB?.trim().toLowerCase() === LocalDynamodbEngine.DynamodbLocal) {
    const local = await startDynamodbLocal({
      port: listenOnDefaultPort ? port : undefined,
      dataPath: dynamodbLocalDataPath,
    });
    await withClient(local.endpoint, (client) => ensureEventsTable(client, tableName, { stream: true }));
    return { endpoint: local.endpoint, origin: 'DynamoDB Local', streams: true, close: local.close };
  }
  const embedded: EmbeddedDynamo = await startEmbeddedDynamo({
    port: listenOnDefaultPort ? port : 0,
    path: localDataPath,
  });
  await withClient(embedded.endpoint, (client) => ensureEventsTable(client, tableName));
  return { endpoint: embedded.endpoint, origin: 'embedded', streams: false, close: embedded.close };
};

const withClient = async <T>(
  endpoint: string,
  use: (client: ReturnType<typeof localDynamoClient>) => Promise<T>,
  maxAttempts?: number,
) => {
  const client = localDynamoClient(endpoint, maxAttempts);
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
};

/** A DynamoDB we did not start may be down: say so and go on, the receiver then answers 5xx FAIL. */
const ensureTableQuietly = async (endpoint: string, tableName: string): Promise<void> => {
  try {
    await withClient(endpoint, (client) => ensureEventsTable(client, tableName), 1);
  } catch (error) {
    console.warn(`Could not check table ${tableName} at ${endpoint}: ${(error as Error).message}`);
  }
};

/**
 * Gives this process the environment the function has under `npm start`, on the DynamoDB at `endpoint`:
 * local credentials, the sample events' SdkAppid, the local table, inline group-state updates (dynalite has
 * no streams). What the shell already sets wins, except the endpoint.
 */
export const useLocalFunctionEnvironment = (endpoint: string): void => {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? LOCAL_CREDENTIALS.secretAccessKey,
    AWS_REGION: process.env.AWS_REGION ?? 'local',
    SDK_APP_ID: process.env.SDK_APP_ID ?? LOCAL_SDK_APP_ID,
    TABLE_NAME: process.env.TABLE_NAME ?? LOCAL_TABLE_NAME,
    GROUP_STATE_UPDATES: process.env.GROUP_STATE_UPDATES ?? GroupStateUpdates.Inline,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  });
};
