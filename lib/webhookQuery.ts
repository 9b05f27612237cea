import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';

/** Either API Gateway payload: HTTP API (2.0) or REST API / payload 1.0. */
export type ApiGatewayEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

/** The query parameters Tencent appends to the callback URL (names spelled exactly as Tencent sends them). */
export interface WebhookQuery {
  sdkAppId: string | undefined;
  callbackCommand: string | undefined;
  clientIp: string | undefined;
  optPlatform: string | undefined;
  sign: string | undefined;
  requestTime: string | undefined;
}

/** Both payload formats carry the query here (a repeated parameter: last value in 1.0, comma-joined in 2.0). */
export const readWebhookQuery = (event: {
  queryStringParameters?: Record<string, string | undefined> | null;
}): WebhookQuery => {
  const params = event.queryStringParameters ?? {};
  return {
    sdkAppId: params.SdkAppid,
    callbackCommand: params.CallbackCommand,
    clientIp: params.ClientIP,
    optPlatform: params.OptPlatform,
    sign: params.Sign,
    requestTime: params.RequestTime,
  };
};
