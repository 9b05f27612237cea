import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';

/** Set by `serverless invoke local` (IS_LOCAL) and serverless-offline (IS_OFFLINE). */
const runsLocally = (env: NodeJS.ProcessEnv): boolean => env.IS_LOCAL === 'true' || env.IS_OFFLINE === 'true';

export const DEFAULT_LOCAL_DYNAMODB_PORT = 8000;

/**
 * Tencent waits 2 s. A cold start, API Gateway and the route from Tencent take part of that, so one event's
 * writes get at most `DYNAMO_DEADLINE_MS` in all (enforced by the store). Each attempt is cut short well
 * before that and retried after a back-off much shorter than the SDK's throttling base, so that two or three
 * attempts fit the budget.
 */
export const DynamoTimeouts: ClientTimeouts = {
  connectionMs: 300,
  requestMs: 400,
  maxAttempts: 3,
  backoffMs: (attempt: number): number => 25 * attempt,
};

/** How one client bounds each attempt, and how often and how soon it tries again. */
export interface ClientTimeouts {
  connectionMs: number;
  requestMs: number;
  maxAttempts: number;
  backoffMs: (attempt: number) => number;
}

/** The most an event's writes may take before the request is answered 5xx (StorageFailed). */
export const DYNAMO_DEADLINE_MS = 1_000;

/**
 * Redrive and `npm run replay` are not on Tencent's clock, and what they record is often what a slow DynamoDB
 * failed to store: a 4 MiB disband's event is up to 13 part writes of 350 KB. Each attempt may take 15 s, six
 * attempts with back-offs of 0.2 s doubling, all within RECOVERY_DEADLINE_MS (the redrive function has 60 s).
 */
export const RecoveryTimeouts: ClientTimeouts = {
  connectionMs: 3_000,
  requestMs: 15_000,
  maxAttempts: 6,
  backoffMs: (attempt: number): number => 200 * 2 ** (attempt - 1),
};
export const RECOVERY_DEADLINE_MS = 50_000;

/** LOCAL_STORE_DEADLINE_MS under the local tools; undefined otherwise, and always in AWS. */
const localStoreDeadlineMs = (env: NodeJS.ProcessEnv): number | undefined => {
  const local = Number(env.LOCAL_STORE_DEADLINE_MS);
  return runsLocally(env) && Number.isSafeInteger(local) && local > 0 ? local : undefined;
};

/**
 * DYNAMO_DEADLINE_MS, except under the local tools when LOCAL_STORE_DEADLINE_MS says otherwise, for each attempt
 * too: `npm start` sets a longer one (scripts/stack/start.ts says why). Never in AWS.
 */
export const storeDeadlineMs = (env: NodeJS.ProcessEnv = process.env): number =>
  localStoreDeadlineMs(env) ?? DYNAMO_DEADLINE_MS;

const boundedTransport = ({
  connectionMs,
  requestMs,
  maxAttempts,
  backoffMs,
}: ClientTimeouts): Pick<DynamoDBClientConfig, 'requestHandler' | 'retryStrategy' | 'cacheMiddleware'> => ({
  requestHandler: {
    connectionTimeout: connectionMs,
    requestTimeout: requestMs,
    throwOnRequestTimeout: true,
  },
  retryStrategy: new ConfiguredRetryStrategy(maxAttempts, backoffMs),
  // The SDK's option: resolve the middleware stack once per command class instead of at every send (about
  // 7% of a warm invocation's CPU here). Our clients add no middleware of their own after they are built.
  cacheMiddleware: true,
});

/** The SDK's middleware that logs each request and response through the client's logger (name from @aws-sdk/core). */
export const SDK_LOGGER_MIDDLEWARE = 'loggerMiddleware';

/**
 * Without a logger of ours the SDK's logger middleware still builds a redacted copy of every request and
 * response (a walk of the whole item) for its no-op logger to drop: about 0.1 ms of each warm invocation here.
 */
const withoutRequestLogging = (client: DynamoDBClient): DynamoDBClient => {
  client.middlewareStack.remove(SDK_LOGGER_MIDDLEWARE);
  return client;
};

/**
 * In AWS the SDK's defaults apply for region, credentials and endpoint (AWS_ENDPOINT_URL_DYNAMODB if set),
 * with bounded timeouts and retries. Run locally by the Serverless tools, it talks to the embedded DynamoDB
 * `npm start` runs, which accepts any credentials.
 */
export const createDynamoClient = (
  env: NodeJS.ProcessEnv = process.env,
  timeouts: ClientTimeouts = DynamoTimeouts,
): DynamoDBClient => {
  if (!runsLocally(env)) return withoutRequestLogging(new DynamoDBClient(boundedTransport(timeouts)));
  const localDeadlineMs = timeouts === DynamoTimeouts ? localStoreDeadlineMs(env) : undefined;
  return withoutRequestLogging(
    new DynamoDBClient({
      ...boundedTransport(
        localDeadlineMs === undefined
          ? timeouts
          : { ...timeouts, connectionMs: localDeadlineMs, requestMs: localDeadlineMs },
      ),
      endpoint: env.AWS_ENDPOINT_URL_DYNAMODB ?? `http://localhost:${env.DYNAMODB_PORT ?? DEFAULT_LOCAL_DYNAMODB_PORT}`,
      region: env.AWS_REGION ?? 'local',
      ...(env.AWS_ACCESS_KEY_ID ? {} : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    }),
  );
};
