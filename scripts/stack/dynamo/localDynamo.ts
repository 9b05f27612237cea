import { join } from 'node:path';
import { GroupStateUpdates } from '../../../lib/config.js';
import {
  DEFAULT_LOCAL_DYNAMODB_PORT,
  LOCAL_SDK_APP_ID,
  LOCAL_TABLE_NAME,
  localDataDirectory,
  localDataPath,
  portFrom,
  shownPath,
} from '../localSettings.js';
import { readRunningStack, runningStackFile } from '../runningStack.js';
import { startDynamodbLocal } from './dynamodbLocal.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from './embeddedDynamo.js';
import { ensureEventsTable } from './eventsTable.js';
import { dynamoAnswersAt, LOCAL_CREDENTIALS, localDynamoClient } from './localDynamoClient.js';
import { LocalDynamoUnavailableError } from './localDynamoUnavailableError.js';
import { storeLockHolder } from './storeLockHolder.js';

export interface LocalDynamo {
  endpoint: string;
  /** Where it came from, for the messages: the variable, the running `npm start`, or the engine started here. */
  origin: string;
  /** As the running stack's file records it: the engine started here, or `AWS_ENDPOINT_URL_DYNAMODB`. */
  engine: string;
  /** The table has a stream (DynamoDB Local started here): group state follows it, as in AWS. */
  streams: boolean;
  close(): Promise<void>;
}

/** LOCAL_DYNAMODB=dynamodb-local: AWS's DynamoDB Local (Java 17) with streams instead of the embedded dynalite. */
export const LocalDynamodbEngine = { Dynalite: 'dynalite', DynamodbLocal: 'dynamodb-local' } as const;

const CONFIGURED = 'AWS_ENDPOINT_URL_DYNAMODB';

/** Where DynamoDB Local keeps `npm start`'s data (git-ignored), apart from dynalite's. */
const dynamodbLocalDataPath = join(localDataDirectory, 'dynamodb-local');

const tableNameIn = (env: NodeJS.ProcessEnv): string => env.TABLE_NAME || LOCAL_TABLE_NAME;

/** AWS_ENDPOINT_URL_DYNAMODB, when set: always first. */
const configuredDynamo = async (env: NodeJS.ProcessEnv): Promise<LocalDynamo | undefined> => {
  const configured = env.AWS_ENDPOINT_URL_DYNAMODB;
  if (!configured) return undefined;
  await ensureTableQuietly(configured, tableNameIn(env));
  return { endpoint: configured, origin: CONFIGURED, engine: CONFIGURED, streams: false, close: async () => {} };
};

/** The engine LOCAL_DYNAMODB chooses, on `port` (0: a free one), with its data under .data/. */
const startOwnDynamo = async (env: NodeJS.ProcessEnv, port: number): Promise<LocalDynamo> => {
  const tableName = tableNameIn(env);
  if (env.LOCAL_DYNAMODB?.trim().toLowerCase() === LocalDynamodbEngine.DynamodbLocal) {
    const local = await startDynamodbLocal({ port: port || undefined, dataPath: dynamodbLocalDataPath });
    await withClient(local.endpoint, (client) => ensureEventsTable(client, tableName, { stream: true }));
    const engine = LocalDynamodbEngine.DynamodbLocal;
    return { endpoint: local.endpoint, origin: 'DynamoDB Local', engine, streams: true, close: local.close };
  }
  const holder = storeLockHolder(localDataPath);
  if (holder !== undefined)
    throw new LocalDynamoUnavailableError(
      `npm start is not running and ${shownPath(localDataPath)} is in use by pid ${holder}: wait for it to ` +
        `finish or stop it (kill ${holder}), or set AWS_ENDPOINT_URL_DYNAMODB to use another DynamoDB.`,
    );
  const embedded: EmbeddedDynamo = await startEmbeddedDynamo({ port, path: localDataPath });
  await withClient(embedded.endpoint, (client) => ensureEventsTable(client, tableName));
  const engine = LocalDynamodbEngine.Dynalite;
  return { endpoint: embedded.endpoint, origin: 'embedded', engine, streams: false, close: embedded.close };
};

/**
 * `npm start`'s DynamoDB: AWS_ENDPOINT_URL_DYNAMODB when set; else the engine LOCAL_DYNAMODB chooses, on
 * DYNAMODB_PORT, with the data under .data/. The events table is created if missing.
 */
export const startStackDynamo = async (env: NodeJS.ProcessEnv = process.env): Promise<LocalDynamo> =>
  (await configuredDynamo(env)) ?? startOwnDynamo(env, portFrom(env.DYNAMODB_PORT, DEFAULT_LOCAL_DYNAMODB_PORT));

/**
 * The DynamoDB the local tools use: AWS_ENDPOINT_URL_DYNAMODB when set; else the running `npm start`'s (from
 * .data/running-stack.json, whatever its ports); else one of their own, on a free port, on the data under
 * .data/. Never whatever happens to answer on a port. Rejects with a LocalDynamoUnavailableError (one line)
 * when the running stack's DynamoDB does not answer or another process holds .data/.
 */
export const openToolDynamo = async (env: NodeJS.ProcessEnv = process.env): Promise<LocalDynamo> => {
  const configured = await configuredDynamo(env);
  if (configured) return configured;
  const stack = readRunningStack();
  if (stack === undefined) return startOwnDynamo(env, 0);
  if (!(await dynamoAnswersAt(stack.dynamodbEndpoint)))
    throw new LocalDynamoUnavailableError(
      `npm start (pid ${stack.pid}) is recorded in ${shownPath(runningStackFile)}, but its DynamoDB at ` +
        `${stack.dynamodbEndpoint} does not answer: if that pid is not npm start, delete the file.`,
    );
  return {
    endpoint: stack.dynamodbEndpoint,
    origin: `npm start's (pid ${stack.pid})`,
    engine: stack.engine,
    streams: false,
    close: async () => {},
  };
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
