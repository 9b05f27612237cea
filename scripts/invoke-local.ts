/**
 * `npm run invoke -- events/<file>.json`: runs the webhook function once with a sample API Gateway event and
 * prints its answer. Uses the DynamoDB `npm start` runs if it is up, else opens the same local data itself.
 */
import './quietNodeVersionWarning.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { GroupStateUpdates } from '../lib/groupStateUpdates.js';
import { LOCAL_CREDENTIALS } from './localDynamoClient.js';
import { openLocalDynamo } from './localDynamo.js';
import { LOCAL_SDK_APP_ID, LOCAL_TABLE_NAME } from './localSettings.js';

const eventFile = process.argv[2];
if (!eventFile) {
  console.error('usage: npm run invoke -- events/<file>.json');
  process.exit(2);
}
const event: unknown = JSON.parse(readFileSync(resolve(eventFile), 'utf8'));

const dynamo = await openLocalDynamo({ listenOnDefaultPort: false });
Object.assign(process.env, {
  AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? LOCAL_CREDENTIALS.secretAccessKey,
  AWS_REGION: process.env.AWS_REGION ?? 'local',
  SDK_APP_ID: process.env.SDK_APP_ID ?? LOCAL_SDK_APP_ID,
  TABLE_NAME: process.env.TABLE_NAME ?? LOCAL_TABLE_NAME,
  // No streams locally: the webhook updates the group's state itself, as under npm start.
  GROUP_STATE_UPDATES: process.env.GROUP_STATE_UPDATES ?? GroupStateUpdates.Inline,
  AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
});

// Imported only now: the function reads its settings once, at load, like a Lambda cold start.
const { handler } = await import('../functions/webhook.js');
const context = {
  functionName: 'webhook',
  awsRequestId: `local-${Date.now()}`,
  getRemainingTimeInMillis: () => 6_000,
} as unknown as Context;

const startedAt = performance.now();
const response = await handler(event as Parameters<typeof handler>[0], context);
const tookMs = performance.now() - startedAt;
await dynamo.close();

console.log(`HTTP ${response.statusCode} (${tookMs.toFixed(1)} ms, DynamoDB ${dynamo.origin} at ${dynamo.endpoint})`);
console.log(JSON.stringify(JSON.parse(response.body), null, 2));
