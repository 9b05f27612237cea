import { createDynamoClient } from '../lib/dynamoClient.js';
import { dynamoEventStore } from '../lib/dynamoEventStore.js';
import { readReceiverConfig } from '../lib/receiverConfig.js';
import { createWebhookHandler } from '../lib/webhookHandler.js';

const config = readReceiverConfig();

/** POST /webhook: Tencent Cloud Chat group webhooks. Client and config are created once per cold start. */
export const handler = createWebhookHandler({
  config,
  store: dynamoEventStore({
    client: createDynamoClient(),
    tableName: config.tableName,
    retentionDays: config.retentionDays,
  }),
});
