import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { readTableName } from '../../../lib/config.js';
import { LOCAL_CREDENTIALS, localDynamoClient } from '../dynamo/localDynamoClient.js';
import { DEFAULT_OFFLINE_LAMBDA_PORT, portFrom } from '../localSettings.js';
import { offlineLambdaInvoker } from './offlineLambdaInvoke.js';
import type { StreamCheckpoint } from './streamCheckpoint.js';
import { type StreamMappingSettings, type StreamPoller, startStreamPoller } from './streamPoller.js';

/** `<service>-<stage>-<function>`, as serverless-offline names a function of the local stage. */
export const localFunctionName = (name: string): string => `tencent-chat-webhooks-local-${name}`;

export interface StreamMapping {
  /** The function in serverless.yml: groupState, publish. */
  functionName: string;
  /** Its mapping's settings; default: the groupState function's. */
  settings?: StreamMappingSettings;
  checkpoint?: StreamCheckpoint;
}

/**
 * `npm start` on DynamoDB Local: the table's stream feeds a function served by serverless-offline, as its event
 * source mapping does in AWS. Stops with the server.
 */
export const followTableStream = (
  endpoint: string,
  { functionName, settings, checkpoint }: StreamMapping = { functionName: 'groupState' },
  env: NodeJS.ProcessEnv = process.env,
): { stop(): Promise<void> } => {
  const client = localDynamoClient(endpoint);
  const streamsClient = new DynamoDBStreamsClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS });
  const poller: StreamPoller = startStreamPoller({
    client,
    streamsClient,
    tableName: readTableName(env),
    invoke: offlineLambdaInvoker(
      portFrom(env.OFFLINE_LAMBDA_PORT, DEFAULT_OFFLINE_LAMBDA_PORT),
      localFunctionName(functionName),
    ),
    name: functionName,
    ...(settings === undefined ? {} : { settings }),
    ...(checkpoint === undefined ? {} : { checkpoint }),
  });
  return {
    async stop() {
      await poller.stop();
      client.destroy();
      streamsClient.destroy();
    },
  };
};
