import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { applyRecordedItemInline } from '../../lib/groupState/inlineUpdates.js';
import { dynamoGroupStateStore } from '../../lib/groupState/store.js';
import { createWebhookHandler, type WebhookLambdaHandler } from '../../lib/webhook/handler.js';
import { testConfig } from './testConfig.js';
import { testEventStore } from './testEventStore.js';

/**
 * The webhook as `npm start` runs it: each recorded event also updates its group's state (inline mode). With the
 * test deadline: the tests that use it want the event recorded, however busy the machine.
 */
export const inlineStateWebhook = (client: DynamoDBClient, tableName: string): WebhookLambdaHandler =>
  createWebhookHandler({
    config: testConfig({ tableName }),
    store: testEventStore({
      client,
      tableName,
      onRecorded: applyRecordedItemInline(dynamoGroupStateStore({ client, tableName })),
    }),
  });
