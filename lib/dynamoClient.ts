import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Set by `serverless invoke local` (IS_LOCAL) and serverless-offline (IS_OFFLINE). */
const runsLocally = (env: NodeJS.ProcessEnv): boolean => env.IS_LOCAL === 'true' || env.IS_OFFLINE === 'true';

export const DEFAULT_LOCAL_DYNAMODB_PORT = 8000;

/**
 * In AWS the SDK's defaults apply (region, credentials, and AWS_ENDPOINT_URL_DYNAMODB if set).
 * Run locally by the Serverless tools, it talks to the embedded DynamoDB `npm start` runs, which accepts
 * any credentials.
 */
export const createDynamoClient = (env: NodeJS.ProcessEnv = process.env): DynamoDBClient => {
  if (!runsLocally(env)) return new DynamoDBClient({});
  return new DynamoDBClient({
    endpoint: env.AWS_ENDPOINT_URL_DYNAMODB ?? `http://localhost:${env.DYNAMODB_PORT ?? DEFAULT_LOCAL_DYNAMODB_PORT}`,
    region: env.AWS_REGION ?? 'local',
    ...(env.AWS_ACCESS_KEY_ID ? {} : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  });
};
