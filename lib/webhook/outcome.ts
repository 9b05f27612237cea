import { type LogContext, type LogLevelName, writeLog } from '../log.js';
import type { ApiGatewayEvent } from './types.js';

/** What happened to one request; the `outcome` field of its log line (documented in the README). */
export const WebhookOutcome = {
  Recorded: 'recorded',
  Duplicate: 'duplicate',
  Ignored: 'ignored',
  Rejected: 'rejected',
  Failed: 'failed',
} as const;

export type WebhookOutcomeName = (typeof WebhookOutcome)[keyof typeof WebhookOutcome];

export interface WebhookLogEntry {
  outcome: WebhookOutcomeName;
  command: string | undefined;
  groupId?: string | undefined;
  reason?: string;
  errorCode?: number;
  detail?: string;
  durationMs: number;
  /** What did not match Tencent's documented shape in a recorded (or duplicate) event: the line is then a WARN. */
  shapeNotes?: string[];
  /** Only on `failed`: the whole request, for `npm run replay`. */
  replay?: ReplayRecord;
}

const levelOf = ({ outcome, shapeNotes }: WebhookLogEntry): LogLevelName => {
  if (outcome === WebhookOutcome.Failed) return 'ERROR';
  return outcome === WebhookOutcome.Rejected || (shapeNotes?.length ?? 0) > 0 ? 'WARN' : 'INFO';
};

/**
 * One JSON line per request. Only names, codes and safe messages go in, never a token or a Sign; the body
 * only on a failed request, for replay. LOG_LEVEL=WARN keeps rejections and failures; SILENT mutes all.
 */
export const logWebhookOutcome = (entry: WebhookLogEntry, context?: LogContext): void =>
  writeLog(levelOf(entry), 'webhook', { ...entry }, context);

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
