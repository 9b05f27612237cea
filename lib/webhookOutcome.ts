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
}

/**
 * One JSON line per request. Only names, codes and safe messages go in: never the token, the Sign or the body.
 * LOG_LEVEL=silent mutes it (tests); errors go to stderr.
 */
export const logWebhookOutcome = (entry: WebhookLogEntry): void => {
  if (process.env.LOG_LEVEL === 'silent') return;
  const level = entry.outcome === WebhookOutcome.Failed ? 'ERROR' : entry.outcome === WebhookOutcome.Rejected ? 'WARN' : 'INFO';
  const line = JSON.stringify({ level, message: 'webhook', ...entry });
  if (level === 'ERROR') console.error(line);
  else console.log(line);
};
