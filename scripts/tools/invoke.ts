/**
 * `npm run invoke -- events/<file>.json`: runs the webhook function once with a sample API Gateway event and
 * prints its answer. Uses the DynamoDB `npm start` runs if it is up, else opens the same local data itself.
 */
import '../stack/quietNodeVersionWarning.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { openLocalDynamo, useLocalFunctionEnvironment } from '../stack/dynamo/localDynamo.js';

const eventFile = process.argv[2];
if (!eventFile) {
  console.error('usage: npm run invoke -- events/<file>.json');
  process.exit(2);
}
const apiGatewayEvent: unknown = JSON.parse(readFileSync(resolve(eventFile), 'utf8'));

const dynamo = await openLocalDynamo({ listenOnDefaultPort: false });
useLocalFunctionEnvironment(dynamo.endpoint);

// Imported only now: the function reads its settings once, at load, like a Lambda cold start.
const { handler } = await import('../../functions/webhook.js');
const context = {
  functionName: 'webhook',
  awsRequestId: `local-${Date.now()}`,
  getRemainingTimeInMillis: () => 6_000,
} as unknown as Context;

const startedAt = performance.now();
const response = await handler(apiGatewayEvent as Parameters<typeof handler>[0], context);
const tookMs = performance.now() - startedAt;
await dynamo.close();

console.log(`HTTP ${response.statusCode} (${tookMs.toFixed(1)} ms, DynamoDB ${dynamo.origin} at ${dynamo.endpoint})`);
console.log(JSON.stringify(JSON.parse(response.body), null, 2));
// Scripts can tell a refused request from an accepted one.
process.exitCode = response.statusCode >= 200 && response.statusCode < 300 ? 0 : 1;
