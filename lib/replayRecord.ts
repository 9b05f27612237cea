import type { ApiGatewayEvent } from './webhookQuery.js';

/**
 * What a failed request's error log line carries so that `npm run replay` can record it later: the query
 * without Sign and RequestTime (the replay is not re-signed, and a Sign must not outlive its request), the
 * body exactly as received, and the receive time the first attempt used.
 */
export interface ReplayRecord {
  query: Record<string, string>;
  body: string;
  receivedAt: number;
}

const NOT_REPLAYED = new Set(['Sign', 'RequestTime']);

export const replayRecordOf = (
  event: Pick<ApiGatewayEvent, 'queryStringParameters'>,
  body: string,
  receivedAt: number,
): ReplayRecord => ({
  query: Object.fromEntries(
    Object.entries(event.queryStringParameters ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !NOT_REPLAYED.has(entry[0]),
    ),
  ),
  body,
  receivedAt,
});
