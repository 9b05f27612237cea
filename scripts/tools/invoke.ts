/**
 * `npm run invoke -- events/<file>.json`: runs the webhook function once with a sample API Gateway event and
 * prints its answer; exits 1 unless the answer is 2xx. Its DynamoDB: AWS_ENDPOINT_URL_DYNAMODB, else the running
 * `npm start`'s, else the same local data under .data/, opened here (scripts/stack/dynamo/localDynamo.ts).
 */
import '../stack/quietNodeVersionWarning.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { openToolDynamo, useLocalFunctionEnvironment } from '../stack/dynamo/localDynamo.js';
import { exitIfDynamoUnavailable } from '../stack/dynamo/localDynamoUnavailableError.js';

const eventFile = process.argv[2];
if (!eventFile) {
  console.error('usage: npm run invoke -- events/<file>.json');
  process.exit(2);
}
const apiGatewayEvent: unknown = JSON.parse(readFileSync(resolve(eventFile), 'utf8'));

const dynamo = await openToolDynamo().catch(exitIfDynamoUnavailable);
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

console.log(`HTTP ${response.statusCode} (${tookMs.toFixed(1)} ms, DynamoDB at ${dynamo.endpoint}, ${dynamo.origin})`);
console.log(JSON.stringify(JSON.parse(response.body), null, 2));
// Scripts can tell a refused request from an accepted one.
process.exitCode = response.statusCode >= 200 && response.statusCode < 300 ? 0 : 1;
