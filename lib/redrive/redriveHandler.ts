import type { CloudWatchLogsEvent, Context } from 'aws-lambda';
import type { WebhookConfig } from '../config.js';
import type { EventStore } from '../eventStore/types.js';
import { describeError, writeLog } from '../log.js';
import type { CallbackTokenSource } from '../webhook/callbackTokenSource.js';
import { createWebhookHandler, type WebhookLambdaHandler } from '../webhook/handler.js';
import type { ReplayRecord, ReplayRecordHead } from '../webhook/replayRecord.js';
import {
  type Admission,
  admitReplayRecord,
  type ReplayTrust,
  UntrustedReason,
  untrustedRecordFields,
} from './admitReplayRecord.js';
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
  /** The webhook's settings: its seal keys, and its tokens or their source for records whose Sign is still to check. */
  config: WebhookConfig;
  store: EventStore;
  pending: PendingReplayChunks;
  /** Where the callback tokens come from when not from `config` (the SSM parameter in deployed stages). */
  tokenSource?: CallbackTokenSource | undefined;
}

export interface RedriveSummary {
  recorded: number;
  refused: number;
  /** Records not recorded because they could not be shown to be the webhook's (seal, body, chunks, Sign). */
  untrusted: number;
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

/** How the redrive and `npm run replay` decide what to trust: the seal keys, and the tokens for unverified records. */
export const replayTrustOf = (config: WebhookConfig, tokenSource?: CallbackTokenSource): ReplayTrust => ({
  sealKeys: config.replaySealKeys ?? [],
  config,
  tokens: () =>
    tokenSource?.current() ??
    Promise.resolve({ callbackToken: config.callbackToken, callbackTokenNext: config.callbackTokenNext }),
});

export type ReplayOutcome =
  | { untrusted: Extract<Admission, { admitted: false }> }
  | { response: Awaited<ReturnType<WebhookLambdaHandler>> };

/**
 * One logged delivery, recorded again if it can be trusted: through the webhook's own handler and store, the Sign
 * check off (checked here, for a record logged before it could be) and the clock at the original receive time,
 * so a delivery that did get stored is a duplicate.
 */
export const replayLoggedDelivery = async (
  record: ReplayRecord,
  { trust, store, context }: { trust: ReplayTrust; store: EventStore; context: Context },
): Promise<ReplayOutcome> => {
  const admission = await admitReplayRecord(record, trust);
  if (!admission.admitted) return { untrusted: admission };
  const handler = createWebhookHandler({
    config: alreadyVerifiedConfig(trust.config),
    store,
    now: () => record.receivedAt,
  });
  return { response: await handler(replayEvent(record), context) };
};

/** The log line of a record that is not recorded because it cannot be trusted (a metric filter counts them). */
export const UNTRUSTED_RECORD_MESSAGE = 'replayRecordUntrusted';

export type RedriveHandler = (event: CloudWatchLogsEvent, context: Context) => Promise<RedriveSummary>;

/**
 * The webhook's failure lines (a CloudWatch Logs subscription) → each logged delivery that can be trusted recorded
 * through the same handler and store, as `npm run replay` does. A record split over lines that came in different
 * batches waits in the table for the rest. If any delivery fails again, or its Sign cannot be checked for want of
 * the token, the invocation fails: Lambda's asynchronous retries, then the on-failure queue.
 */
export const createRedriveHandler = ({ config, store, pending, tokenSource }: RedriveDependencies): RedriveHandler => {
  const trust = replayTrustOf(config, tokenSource);

  return async function handleRedrive(event, context) {
    const data = decodeCloudWatchLogsData(event);
    if (data.messageType !== 'DATA_MESSAGE') return { recorded: 0, refused: 0, untrusted: 0, waiting: 0 };
    const found = replayRecordsInLog(data.logEvents.map((logEvent) => logEvent.message));
    const completed =
      found.incomplete.length + found.strayChunks.length === 0
        ? { records: [], conflicting: [] }
        : await pending.add(found.incomplete, found.strayChunks);
    const records = [...found.records, ...completed.records];
    const logContext = { requestId: context.awsRequestId };

    const summary = { recorded: 0, refused: 0, untrusted: 0, failed: 0 };
    const reportUntrusted = (
      record: Pick<ReplayRecordHead, 'query' | 'receivedAt'>,
      admission: Extract<Admission, { admitted: false }>,
    ) => {
      summary.untrusted += 1;
      writeLog('ERROR', UNTRUSTED_RECORD_MESSAGE, untrustedRecordFields(record, admission), logContext);
    };
    for (const head of [...found.conflicting, ...completed.conflicting])
      reportUntrusted(head, { admitted: false, reason: UntrustedReason.ChunkConflict });
    for (const record of records) {
      const outcome = await replayLoggedDelivery(record, { trust, store, context }).catch((error: unknown) => {
        writeLog('ERROR', 'redrive', { detail: `a logged delivery waits: ${describeError(error)}` }, logContext);
        return undefined;
      });
      if (outcome === undefined) summary.failed += 1;
      else if ('untrusted' in outcome) reportUntrusted(record, outcome.untrusted);
      else if (outcome.response.statusCode === 200) summary.recorded += 1;
      else if (outcome.response.statusCode >= 500) summary.failed += 1;
      else summary.refused += 1;
    }
    const waiting =
      new Set([...found.incomplete.map((head) => head.bodyChunks.id), ...found.strayChunks.map((chunk) => chunk.id)])
        .size -
      completed.records.length -
      completed.conflicting.length;
    writeLog(
      summary.failed + summary.untrusted > 0 ? 'ERROR' : summary.refused > 0 ? 'WARN' : 'INFO',
      'redrive',
      { logGroup: data.logGroup, ...summary, waiting },
      logContext,
    );
    if (summary.failed > 0) throw new RedriveFailedError(summary.failed);
    return { recorded: summary.recorded, refused: summary.refused, untrusted: summary.untrusted, waiting };
  };
};
