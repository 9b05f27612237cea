/**
 * The bench's baseline: the least a webhook receiver on Lambda can do, one PutItem per request with the
 * webhook's own DynamoDB client. Bundled with the webhook's esbuild settings; never part of the product.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDynamoClient } from '../../lib/dynamoClient.js';

const client = createDynamoClient();
const tableName = process.env.TABLE_NAME;
const okBody = JSON.stringify({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 });

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const body = event.body ?? '';
  const { GroupId, EventTime } = JSON.parse(body) as { GroupId: string; EventTime: string };
  await client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: { pk: { S: `GROUP#${GroupId}` }, sk: { S: `EVENT#${EventTime}` }, body: { S: body } },
    }),
  );
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: okBody };
};
