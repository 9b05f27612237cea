import type { ReplayRecord } from './replayRecord.js';
import { type LogContext, type LogLevelName, writeLog } from './structuredLog.js';

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
  /** Only on `failed`: the whole request, for `npm run replay`. */
  replay?: ReplayRecord;
}

const levelOf = (outcome: WebhookOutcomeName): LogLevelName =>
  outcome === WebhookOutcome.Failed ? 'ERROR' : outcome === WebhookOutcome.Rejected ? 'WARN' : 'INFO';

/**
 * One JSON line per request. Only names, codes and safe messages go in, never a token or a Sign; the body
 * only on a failed request, for replay. LOG_LEVEL=WARN keeps rejections and failures; SILENT mutes all.
 */
export const logWebhookOutcome = (entry: WebhookLogEntry, context?: LogContext): void =>
  writeLog(levelOf(entry.outcome), 'webhook', { ...entry }, context);
