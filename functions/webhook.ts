import { readWebhookConfig } from '../lib/config.js';
import { createDynamoClient, storeDeadlineMs } from '../lib/dynamo/client.js';
import { dynamoEventStore } from '../lib/eventStore/dynamoEventStore.js';
import { inlineStateUpdatesFor } from '../lib/groupState/inlineUpdates.js';
import { webhookTokenSource } from '../lib/webhook/callbackTokenSource.js';
import { createWebhookHandler } from '../lib/webhook/handler.js';

const config = readWebhookConfig();
// First, so the token's read (deployed stages) runs while the rest of init does.
const tokenSource = webhookTokenSource(config);
const client = createDynamoClient();
// In AWS (stream) the webhook does one write per event; the groupState function updates the state.
const inline = inlineStateUpdatesFor(client, config.tableName);
const events = dynamoEventStore({
  client,
  tableName: config.tableName,
  retentionDays: config.retentionDays,
  deadlineMs: storeDeadlineMs(),
  onRecorded: inline?.onRecorded,
});

/** POST /webhook: Tencent Cloud Chat group webhooks. Client and config are created once per cold start. */
export const handler = createWebhookHandler({
  config,
  tokenSource,
  store: inline ? inline.replayingAfterFailures(events) : events,
});
