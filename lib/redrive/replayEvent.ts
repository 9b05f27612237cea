import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ReplayRecord } from '../webhook/replayRecord.js';

/** The request the logged delivery came in as, for the webhook function to handle again. */
export const replayEvent = (record: ReplayRecord): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: 'POST /webhook',
  rawPath: '/webhook',
  rawQueryString: new URLSearchParams(record.query).toString(),
  headers: { 'content-length': String(Buffer.byteLength(record.body)) },
  queryStringParameters: record.query,
  requestContext: {
    accountId: 'replay',
    apiId: 'replay',
    domainName: 'replay',
    domainPrefix: 'replay',
    http: {
      method: 'POST',
      path: '/webhook',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'npm run replay',
    },
    requestId: `replay-${record.receivedAt}`,
    routeKey: 'POST /webhook',
    stage: '$default',
    time: new Date(record.receivedAt).toISOString(),
    timeEpoch: record.receivedAt,
  },
  body: record.body,
  isBase64Encoded: false,
});
