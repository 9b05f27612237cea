import type { CloudWatchLogsEvent, Context } from 'aws-lambda';
import type { WebhookConfig } from '../config.js';
import type { EventStore } from '../eventStore/types.js';
import { writeLog } from '../log.js';
import { createWebhookHandler } from '../webhook/handler.js';
import type { ReplayRecord } from '../webhook/replayRecord.js';
import { decodeCloudWatchLogsData } from './cloudWatchLogsData.js';
import type { PendingReplayChunks } from './pendingReplayChunks.js';
import { replayEvent } from './replayEvent.js';
import { replayRecordsInLog } from './replayRecordsInLog.js';

/** Some delivery could not be recorded again: Lambda retries the whole batch (the rest are duplicates by then). */
export class RedriveFailedError extends Error {
  public constructor(failed: number) {
    super(`${failed} logged deliveries could not be recorded; the batch is retried`);
    this.name = 'RedriveFailedError';
  }
}

export interface RedriveDependencies {
  /** The webhook's settings; the callback token is not needed (a record is logged only after its Sign was checked). */
  config: WebhookConfig;
  store: EventStore;
  pending: PendingReplayChunks;
}

export interface RedriveSummary {
  recorded: number;
  refused: number;
  /** Split records whose other lines have not reached the redrive yet (kept until they do). */
  waiting: number;
}

/**
 * The webhook's settings for a delivery it logged after checking its caller: no Sign check (the replay is not
 * signed again) and no source-address check (the replay comes from here, not from Tencent).
 */
export const alreadyVerifiedConfig = (config: WebhookConfig): WebhookConfig => ({
  ...config,
  callbackToken: undefined,
  callbackTokenNext: undefined,
  sourceIpAllowlist: [],
});

export type RedriveHandler = (event: CloudWatchLogsEvent, context: Context) => Promise<RedriveSummary>;

/**
 * The webhook's failure lines (a CloudWatch Logs subscription) → each logged delivery recorded through the same
 * handler and store, as `npm run replay` does: Sign check off, clock at the original receive time, so a delivery
 * that did get stored is a duplicate. A record split over lines that came in different batches waits in the table
 * for the rest. If any delivery fails again the invocation fails: Lambda's asynchronous retries, then the
 * on-failure queue.
 */
export const createRedriveHandler = ({ config, store, pending }: RedriveDependencies): RedriveHandler => {
  const verifiedConfig = alreadyVerifiedConfig(config);
  const recordAgain = async (record: ReplayRecord, context: Context) =>
    createWebhookHandler({ config: verifiedConfig, store, now: () => record.receivedAt })(replayEvent(record), context);

  return async function handleRedrive(event, context) {
    const data = decodeCloudWatchLogsData(event);
    if (data.messageType !== 'DATA_MESSAGE') return { recorded: 0, refused: 0, waiting: 0 };
    const found = replayRecordsInLog(data.logEvents.map((logEvent) => logEvent.message));
    const completed =
      found.incomplete.length + found.strayChunks.length === 0
        ? []
        : await pending.add(found.incomplete, found.strayChunks);
    const records = [...found.records, ...completed];

    const summary = { recorded: 0, refused: 0, failed: 0 };
    for (const record of records) {
      const { statusCode } = await recordAgain(record, context);
      if (statusCode === 200) summary.recorded += 1;
      else if (statusCode >= 500) summary.failed += 1;
      else summary.refused += 1;
    }
    const waiting =
      new Set([...found.incomplete.map((head) => head.bodyChunks.id), ...found.strayChunks.map((chunk) => chunk.id)])
        .size - completed.length;
    writeLog(
      summary.failed > 0 ? 'ERROR' : summary.refused > 0 ? 'WARN' : 'INFO',
      'redrive',
      { logGroup: data.logGroup, ...summary, waiting },
      { requestId: context.awsRequestId },
    );
    if (summary.failed > 0) throw new RedriveFailedError(summary.failed);
    return { recorded: summary.recorded, refused: summary.refused, waiting };
  };
};
