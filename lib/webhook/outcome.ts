import { type LogContext, type LogLevelName, writeLog } from '../log.js';
import { type ReplayRecord, replayLogParts } from './replayRecord.js';

/** What happened to one request; the `outcome` field of its log line (docs/reference.md, "Log lines"). */
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
  /**
   * On a request that passed verification but was not recorded (`failed`, and `rejected` after verification): the
   * whole request, for `npm run replay` and the redrive. Split over chunk lines when it would not fit one.
   */
  replay?: ReplayRecord;
}

const levelOf = ({ outcome, shapeNotes }: WebhookLogEntry): LogLevelName => {
  if (outcome === WebhookOutcome.Failed) return 'ERROR';
  return outcome === WebhookOutcome.Rejected || (shapeNotes?.length ?? 0) > 0 ? 'WARN' : 'INFO';
};

/** The message of the lines that carry the rest of a replay record too large for its request's line. */
export const REPLAY_CHUNK_MESSAGE = 'webhookReplayChunk';

/**
 * One JSON line per request, plus a chunk line per 150 KB of a replay record's body that would not fit it (each
 * chunk line has the same level and outcome, so a filter on either keeps them together). Only names, codes and
 * safe messages go in, never a token or a Sign; the body only in a replay record. LOG_LEVEL=WARN keeps rejections
 * and failures; SILENT mutes all.
 */
export const logWebhookOutcome = ({ replay, ...entry }: WebhookLogEntry, context?: LogContext): void => {
  const level = levelOf(entry);
  if (replay === undefined) {
    writeLog(level, 'webhook', { ...entry }, context);
    return;
  }
  const { replay: logged, chunks } = replayLogParts(replay);
  writeLog(level, 'webhook', { ...entry, replay: logged }, context);
  for (const replayChunk of chunks)
    writeLog(level, REPLAY_CHUNK_MESSAGE, { outcome: entry.outcome, replayChunk }, context);
};
