import { mockContextCreator } from 'aws-lambda-test-utils';
import type { TencentEnvelope } from '../../lib/tencent/envelope.js';
import type { WebhookLambdaHandler } from '../../lib/webhook/handler.js';

export interface InvokeResult {
  statusCode: number;
  contentType: string | undefined;
  envelope: TencentEnvelope;
}

/** Calls the handler as Lambda would (with a context that has time left) and parses the envelope. */
export const invokeHandler = async (
  handler: WebhookLambdaHandler,
  event: Parameters<WebhookLambdaHandler>[0],
): Promise<InvokeResult> => {
  const context = mockContextCreator({ functionName: 'webhook', awsRequestId: 'test', timeInMillis: 6_000 }, () => {});
  const response = await handler(event, context);
  return {
    statusCode: response.statusCode,
    contentType: response.headers['content-type'],
    envelope: JSON.parse(response.body) as TencentEnvelope,
  };
};
