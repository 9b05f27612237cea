import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoEventStore } from '../../lib/eventStore/dynamoEventStore.js';
import { applyRecordedItemInline } from '../../lib/groupState/inlineUpdates.js';
import { dynamoGroupStateStore } from '../../lib/groupState/store.js';
import { createWebhookHandler, type WebhookLambdaHandler } from '../../lib/webhook/handler.js';
import { testConfig } from './testConfig.js';

/** The webhook as `npm start` runs it: each recorded event also updates its group's state (inline mode). */
export const inlineStateWebhook = (client: DynamoDBClient, tableName: string): WebhookLambdaHandler =>
  createWebhookHandler({
    config: testConfig({ tableName }),
    store: dynamoEventStore({
      client,
      tableName,
      onRecorded: applyRecordedItemInline(dynamoGroupStateStore({ client, tableName })),
    }),
  });
