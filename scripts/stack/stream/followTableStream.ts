import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { readTableName } from '../../../lib/config.js';
import { LOCAL_CREDENTIALS, localDynamoClient } from '../dynamo/localDynamoClient.js';
import { portFrom } from '../localSettings.js';
import { offlineLambdaInvoker } from './offlineLambdaInvoke.js';
import { type StreamPoller, startStreamPoller } from './streamPoller.js';

/** serverless-offline's default Lambda port (serverless.yml: custom.serverless-offline.lambdaPort). */
const DEFAULT_OFFLINE_LAMBDA_PORT = 3002;
/** `<service>-<stage>-<function>`, as serverless-offline names the groupState function of the local stage. */
const GROUP_STATE_FUNCTION = 'tencent-chat-webhooks-local-groupState';

/**
 * `npm start` on DynamoDB Local: the table's stream feeds the groupState function served by serverless-offline,
 * as the event source mapping does in AWS. Stops with the server.
 */
export const followTableStream = (
  endpoint: string,
  env: NodeJS.ProcessEnv = process.env,
): { stop(): Promise<void> } => {
  const client = localDynamoClient(endpoint);
  const streamsClient = new DynamoDBStreamsClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS });
  const poller: StreamPoller = startStreamPoller({
    client,
    streamsClient,
    tableName: readTableName(env),
    invoke: offlineLambdaInvoker(portFrom(env.OFFLINE_LAMBDA_PORT, DEFAULT_OFFLINE_LAMBDA_PORT), GROUP_STATE_FUNCTION),
  });
  return {
    async stop() {
      await poller.stop();
      client.destroy();
      streamsClient.destroy();
    },
  };
};
