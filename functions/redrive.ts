import { readWebhookConfig } from '../lib/config.js';
import { createDynamoClient } from '../lib/dynamo/client.js';
import { dynamoEventStore } from '../lib/eventStore/dynamoEventStore.js';
import { inlineStateUpdatesFor } from '../lib/groupState/inlineUpdates.js';
import { dynamoPendingReplayChunks } from '../lib/redrive/pendingReplayChunks.js';
import { createRedriveHandler } from '../lib/redrive/redriveHandler.js';

const config = readWebhookConfig();
const client = createDynamoClient();

/** Not on Tencent's clock: DynamoDB gets as long as the retries need. */
const REDRIVE_DEADLINE_MS = 10_000;

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
    deadlineMs: REDRIVE_DEADLINE_MS,
    // As the webhook: in AWS the stream updates the state; the local stage updates it inline.
    onRecorded: inlineStateUpdatesFor(client, config.tableName)?.onRecorded,
  }),
  pending: dynamoPendingReplayChunks({ client, tableName: config.tableName }),
});
