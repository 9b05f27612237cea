import type { WebhookConfig } from '../config.js';
import { readWebhookQuery } from '../tencent/query.js';
import { WebhookRejectedError } from '../tencent/rejection.js';
import type { CallbackTokens } from '../webhook/callbackTokenSource.js';
import { verifyRequest } from '../webhook/middleware/verifyTencentCaller.js';
import type { ReplayRecord, ReplayRecordHead } from '../webhook/replayRecord.js';
import { bodySha256Of, type SealedReplayFields, sealVerifies } from '../webhook/replaySeal.js';

/** Why a replay record is not recorded: it cannot be shown to be what the webhook logged, or its Sign fails. */
export const UntrustedReason = {
  Unsealed: 'no seal, and a seal key is set',
  SealMalformed: 'its seal fields are not strings',
  SealMismatch: 'its seal does not verify',
  BodyMismatch: 'its body does not match the sealed digest',
  ChunkConflict: 'a chunk index came twice with different content',
  SignRefused: 'its Sign does not verify',
} as const;
export type UntrustedReasonName = (typeof UntrustedReason)[keyof typeof UntrustedReason];

export interface ReplayTrust {
  /** REPLAY_SEAL_KEY's keys; empty: records are taken as they are (docs/operate.md). */
  sealKeys: readonly string[];
  /** The webhook's settings (SdkAppid, the clock skew) for a record whose Sign is still to check. */
  config: WebhookConfig;
  /** The callback tokens, for such records; rejects while they cannot be read (the record then waits). */
  tokens(): Promise<CallbackTokens>;
}

export type Admission = { admitted: true } | { admitted: false; reason: UntrustedReasonName; detail?: string };

const isText = (value: unknown): value is string => typeof value === 'string';

const sealedFieldsOf = (record: ReplayRecord): SealedReplayFields | undefined => {
  const { query, receivedAt, bodySha256, unverified } = record;
  if (!isText(bodySha256)) return undefined;
  if (unverified !== undefined && !(isText(unverified?.sign) && isText(unverified?.requestTime))) return undefined;
  return { query, receivedAt, bodySha256, unverified };
};

/**
 * Whether a record found in a log may be recorded: with a seal key, its seal verifies over its query, receive
 * time, Sign (if still to check) and body digest, and the body (reassembled, for a split record) has that
 * digest; a record logged before its Sign could be checked is checked now, against RequestTime at its sealed
 * receive time. Rejects only when the tokens cannot be read: nothing is decided then.
 */
export const admitReplayRecord = async (record: ReplayRecord, trust: ReplayTrust): Promise<Admission> => {
  if (trust.sealKeys.length > 0) {
    if (record.seal === undefined) return { admitted: false, reason: UntrustedReason.Unsealed };
    const fields = sealedFieldsOf(record);
    if (fields === undefined || !isText(record.seal)) return { admitted: false, reason: UntrustedReason.SealMalformed };
    if (!sealVerifies(fields, record.seal, trust.sealKeys))
      return { admitted: false, reason: UntrustedReason.SealMismatch };
    if (bodySha256Of(record.body) !== fields.bodySha256)
      return { admitted: false, reason: UntrustedReason.BodyMismatch };
  }
  if (record.unverified === undefined) return { admitted: true };
  const { sign, requestTime } = record.unverified;
  const query = readWebhookQuery({ queryStringParameters: { ...record.query, Sign: sign, RequestTime: requestTime } });
  const tokens = await trust.tokens();
  if (tokens.callbackToken === undefined && tokens.callbackTokenNext === undefined)
    return { admitted: false, reason: UntrustedReason.SignRefused, detail: 'NoTokenToCheckIt' };
  try {
    verifyRequest(query, { ...trust.config, ...tokens }, record.receivedAt);
    return { admitted: true };
  } catch (error) {
    if (!(error instanceof WebhookRejectedError)) throw error;
    return { admitted: false, reason: UntrustedReason.SignRefused, detail: error.reason };
  }
};

/** What a log line says of an untrusted record: when, which command and group, why; never its body or Sign. */
export const untrustedRecordFields = (
  record: Pick<ReplayRecordHead, 'query' | 'receivedAt'>,
  admission: Extract<Admission, { admitted: false }>,
): Record<string, unknown> => ({
  reason: admission.reason,
  ...(admission.detail === undefined ? {} : { detail: admission.detail }),
  receivedAt: record.receivedAt,
  command: record.query.CallbackCommand,
});
