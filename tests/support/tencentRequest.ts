import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callbackSign } from '../../lib/tencent/callbackSign.js';

export const TEST_SDK_APP_ID = '1400000001';
export const TEST_TOKEN = 'test-callback-token-5f1c';

export interface TencentRequestOptions {
  command?: string;
  body?: unknown;
  /** Sent as is instead of JSON.stringify(body). */
  rawBody?: string;
  query?: Record<string, string | undefined>;
  base64?: boolean;
  headers?: Record<string, string>;
}

/** An HTTP API (payload 2.0) event shaped like Tencent's request: query parameters, no Content-Type. */
export const tencentEvent = ({
  command = 'Group.CallbackAfterGroupFull',
  body = { CallbackCommand: command, GroupId: '@TGS#2J4SZEAEL', EventTime: '1670574414123' },
  rawBody,
  query = {},
  base64 = false,
  headers = {},
}: TencentRequestOptions = {}): APIGatewayProxyEventV2 => {
  const text = rawBody ?? JSON.stringify(body);
  const params = Object.fromEntries(
    Object.entries({
      SdkAppid: TEST_SDK_APP_ID,
      CallbackCommand: command,
      contenttype: 'json',
      ClientIP: '10.0.0.7',
      OptPlatform: 'Android',
      ...query,
    }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return {
    version: '2.0',
    routeKey: 'POST /webhook',
    rawPath: '/webhook',
    rawQueryString: new URLSearchParams(params).toString(),
    headers: {
      host: 'example.execute-api.eu-west-1.amazonaws.com',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    },
    queryStringParameters: params,
    requestContext: {
      accountId: '123456789012',
      apiId: 'test',
      domainName: 'example.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'example',
      http: { method: 'POST', path: '/webhook', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: '' },
      requestId: 'test',
      routeKey: 'POST /webhook',
      stage: '$default',
      time: '22/Nov/2026:00:00:00 +0000',
      timeEpoch: 0,
    },
    body: base64 ? Buffer.from(text).toString('base64') : text,
    isBase64Encoded: base64,
  };
};

/** Query parameters Tencent adds when a callback token is configured. */
export const signedQuery = (nowMs: number, token = TEST_TOKEN): Record<string, string> => {
  const requestTime = String(Math.floor(nowMs / 1000));
  return { RequestTime: requestTime, Sign: callbackSign(token, requestTime) };
};
