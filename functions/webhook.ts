import { createDynamoClient } from '../lib/dynamoClient.js';
import { dynamoEventStore } from '../lib/dynamoEventStore.js';
import { dynamoGroupStateStore } from '../lib/dynamoGroupStateStore.js';
import { GroupStateUpdates, readGroupStateUpdates } from '../lib/groupStateUpdates.js';
import { applyRecordedItemInline } from '../lib/inlineGroupState.js';
import { readReceiverConfig } from '../lib/receiverConfig.js';
import { webhookTokenSource } from '../lib/webhook/webhookTokenSource.js';
import { createWebhookHandler } from '../lib/webhookHandler.js';

const config = readReceiverConfig();
// First, so the token's read (deployed stages) runs while the rest of init does.
const tokenSource = webhookTokenSource(config);
const client = createDynamoClient();

/** POST /webhook: Tencent Cloud Chat group webhooks. Client and config are created once per cold start. */
export const handler = createWebhookHandler({
  config,
  tokenSource,
  store: dynamoEventStore({
    client,
    tableName: config.tableName,
    retentionDays: config.retentionDays,
    // In AWS (stream) the webhook does one write per event; the groupState function updates the state.
    onRecorded:
      readGroupStateUpdates() === GroupStateUpdates.Inline
        ? applyRecordedItemInline(dynamoGroupStateStore({ client, tableName: config.tableName }))
        : undefined,
  }),
});
