import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import groupAttrChanged from '../../events/group-attr-changed.json' with { type: 'json' };
import groupDestroyed from '../../events/group-destroyed.json' with { type: 'json' };
import groupFull from '../../events/group-full.json' with { type: 'json' };
import { callbackSign } from '../../lib/tencent/callbackSign.js';

/** The three recorded commands' sample events, taken in turn. */
const SAMPLE_EVENTS = [groupFull, groupDestroyed, groupAttrChanged] as unknown as readonly APIGatewayProxyEventV2[];

export interface DistinctEventOptions {
  sdkAppId: string;
  /** When set, each event is signed as Tencent signs it (RequestTime now, Sign = SHA-256(token + RequestTime)). */
  callbackToken: string | undefined;
  /** Distinguishes this process's events from every other process's in the same table. */
  runId: string;
  now?: () => number;
}

/**
 * A factory of API Gateway events like the samples in events/, each one a new delivery: its own GroupId and
 * EventTime, so every invocation is a real write and never a duplicate.
 */
export const distinctWebhookEvents = ({ sdkAppId, callbackToken, runId, now = Date.now }: DistinctEventOptions) => {
  let sequence = 0;
  return function nextWebhookEvent(): APIGatewayProxyEventV2 {
    const sample = SAMPLE_EVENTS[sequence % SAMPLE_EVENTS.length] as APIGatewayProxyEventV2;
    const receivedAt = now();
    const body = JSON.stringify({
      ...(JSON.parse(sample.body ?? '{}') as Record<string, unknown>),
      GroupId: `@TGS#bench-${runId}-${sequence}`,
      EventTime: String(receivedAt),
    });
    const requestTime = String(Math.floor(receivedAt / 1000));
    const query: Record<string, string> = {
      ...(sample.queryStringParameters as Record<string, string>),
      SdkAppid: sdkAppId,
      ...(callbackToken ? { RequestTime: requestTime, Sign: callbackSign(callbackToken, requestTime) } : {}),
    };
    const requestId = `bench-${runId}-${sequence}`;
    sequence += 1;
    return {
      ...sample,
      rawQueryString: new URLSearchParams(query).toString(),
      queryStringParameters: query,
      headers: { ...sample.headers, 'content-length': String(Buffer.byteLength(body)) },
      requestContext: { ...sample.requestContext, requestId, timeEpoch: receivedAt },
      body,
      isBase64Encoded: false,
    };
  };
};
