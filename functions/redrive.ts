import { readWebhookConfig } from '../lib/config.js';
import { createDynamoClient, RECOVERY_DEADLINE_MS, RecoveryTimeouts } from '../lib/dynamo/client.js';
import { dynamoEventStore } from '../lib/eventStore/dynamoEventStore.js';
import { inlineStateUpdatesFor } from '../lib/groupState/inlineUpdates.js';
import { dynamoPendingReplayChunks } from '../lib/redrive/pendingReplayChunks.js';
import { createRedriveHandler } from '../lib/redrive/redriveHandler.js';
import { ssmCallbackTokenSource } from '../lib/webhook/callbackTokenSource.js';

const config = readWebhookConfig();
// Not on Tencent's clock: each write may take as long as a 4 MiB body needs on a slow DynamoDB.
const client = createDynamoClient(process.env, RecoveryTimeouts);

/**
 * The webhook's failure lines, by CloudWatch Logs subscription: records each logged delivery
 * (docs/operate.md, "When DynamoDB fails").
 */
export const handler = createRedriveHandler({
  config,
  store: dynamoEventStore({
    client,
    tableName: config.tableName,
    retentionDays: config.retentionDays,
    deadlineMs: RECOVERY_DEADLINE_MS,
    // As the webhook: in AWS the stream updates the state; the local stage updates it inline.
    onRecorded: inlineStateUpdatesFor(client, config.tableName)?.onRecorded,
  }),
  pending: dynamoPendingReplayChunks({ client, tableName: config.tableName }),
  // Only for a delivery logged while the webhook could not read the token: its Sign is checked here.
  tokenSource:
    config.callbackTokenParameter === undefined
      ? undefined
      : ssmCallbackTokenSource({ parameterName: config.callbackTokenParameter }),
});
