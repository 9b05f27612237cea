/**
 * The bench's baseline: the least a receiver can do and still record what the webhook records. It parses the
 * body and makes the one conditional PutItem the data model requires: the event's item built by
 * lib/eventStore/eventItem.ts
 * (the body's other fields stored as sent, unchecked, where the webhook stores its typed fields), with
 * `attribute_not_exists(pk)`. Its client is the SDK's default one with the webhook's bounded timeouts and retries,
 * as the webhook built it before issue 13, and stays so: the baseline does not move when the webhook's client does.
 * No verification, no Sign, no routing, no validation, no digest, no middleware, no log line: those are what the
 * bench measures. Bundled with the SDK whole (scripts/deploy/bundleOptions.ts, fullSdkBuildOptions); never deployed.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { StorableValue } from '../../lib/dynamo/attributeValue.js';
import { DynamoTimeouts } from '../../lib/dynamo/client.js';
import { EventTimeSource, eventItem } from '../../lib/eventStore/eventItem.js';

const client = new DynamoDBClient({
  requestHandler: {
    connectionTimeout: DynamoTimeouts.connectionMs,
    requestTimeout: DynamoTimeouts.requestMs,
    throwOnRequestTimeout: true,
  },
  retryStrategy: new ConfiguredRetryStrategy(DynamoTimeouts.maxAttempts, DynamoTimeouts.backoffMs),
});
const tableName = process.env.TABLE_NAME;
const okBody = JSON.stringify({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 });

interface UncheckedBody {
  CallbackCommand: string;
  GroupId: string;
  EventTime: string;
  [field: string]: StorableValue;
}

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const rawBody = event.body ?? '';
  const { CallbackCommand, GroupId, EventTime, ...fields } = JSON.parse(rawBody) as UncheckedBody;
  const query = event.queryStringParameters ?? {};
  const eventTime = Number(EventTime);
  const item = eventItem(
    {
      deliveryId: event.requestContext.requestId,
      sdkAppId: query.SdkAppid ?? '',
      command: CallbackCommand,
      groupId: GroupId,
      eventTime,
      receivedAt: Date.now(),
      clientIp: query.ClientIP,
      optPlatform: query.OptPlatform,
      shapeNotes: [],
      rawBody,
      fields,
    },
    eventTime,
    EventTimeSource.Tencent,
    undefined,
  );
  await client.send(
    new PutItemCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
  );
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: okBody };
};
