import { createHash } from 'node:crypto';
import { bodySha256Of, replaySeal } from './replaySeal.js';

/**
 * What the log line of a request that was not recorded carries so that it can be recorded later (`npm run replay`,
 * the `redrive` function): the query without Sign and RequestTime (the replay is not re-signed, and a Sign must
 * not outlive its request), the body exactly as received, and the receive time the first attempt used.
 */
export interface ReplayRecord extends ReplaySealing {
  query: Record<string, string>;
  body: string;
  receivedAt: number;
}

/**
 * What proves a record was written by the webhook (lib/webhook/replaySeal.ts), and what is still to check. Absent
 * where no seal key is set.
 */
export interface ReplaySealing {
  /** SHA-256 of the body's UTF-8 bytes, hex: what a split record's chunks must add up to. */
  bodySha256?: string;
  /** HMAC-SHA256 over the query, the receive time, the body's digest and `unverified`. */
  seal?: string;
  /**
   * The request's Sign and RequestTime, when its Sign could not be checked (the token could not be read): the
   * redrive and `npm run replay` check them against the token before recording it.
   */
  unverified?: { sign: string; requestTime: string };
}

/** A record whose body did not fit its log line: the body follows in `count` chunk lines sharing `id`. */
export interface ReplayRecordHead extends ReplaySealing {
  query: Record<string, string>;
  receivedAt: number;
  bodyChunks: { id: string; count: number };
}

/** One piece of a body, base64 of its UTF-8 bytes: base64 needs no escaping, so each line's size is known. */
export interface ReplayChunk {
  id: string;
  index: number;
  count: number;
  bodyBase64: string;
}

/**
 * CloudWatch Logs holds at most 256 KB per log event, and Lambda cuts a longer line into several events. A record
 * up to this size goes in its line whole; the rest of the line (level, reason, detail) is far smaller than the
 * margin left.
 */
export const REPLAY_INLINE_MAX_BYTES = 200_000;
/** Body bytes per chunk line: 200,000 characters of base64. */
export const REPLAY_CHUNK_BODY_BYTES = 150_000;

const NOT_REPLAYED = new Set(['Sign', 'RequestTime']);

/** The record of one request, sealed with `sealKey` when there is one. */
export const replayRecordOf = (
  queryStringParameters: Record<string, string | undefined> | null | undefined,
  body: string,
  receivedAt: number,
  { sealKey, unverified }: { sealKey?: string | undefined; unverified?: ReplaySealing['unverified'] } = {},
): ReplayRecord => {
  const query = Object.fromEntries(
    Object.entries(queryStringParameters ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !NOT_REPLAYED.has(entry[0]),
    ),
  );
  const pending = unverified === undefined ? {} : { unverified };
  if (sealKey === undefined) return { query, body, receivedAt, ...pending };
  const bodySha256 = bodySha256Of(body);
  const seal = replaySeal({ query, receivedAt, bodySha256, unverified }, sealKey);
  return { query, body, receivedAt, ...pending, bodySha256, seal };
};

/** The sealing fields of a record, as they are: copied to a split record's head, checked at replay. */
export const sealingOf = ({ bodySha256, seal, unverified }: ReplaySealing): ReplaySealing => ({
  ...(bodySha256 === undefined ? {} : { bodySha256 }),
  ...(seal === undefined ? {} : { seal }),
  ...(unverified === undefined ? {} : { unverified }),
});

/** The record as it is logged: whole in one line, or a head and the chunk lines that follow it. */
export const replayLogParts = (
  record: ReplayRecord,
): { replay: ReplayRecord | ReplayRecordHead; chunks: ReplayChunk[] } => {
  if (Buffer.byteLength(JSON.stringify(record), 'utf8') <= REPLAY_INLINE_MAX_BYTES)
    return { replay: record, chunks: [] };
  const bytes = Buffer.from(record.body, 'utf8');
  const id = createHash('sha256').update(`${record.receivedAt}\n`).update(bytes).digest('hex').slice(0, 32);
  const count = Math.ceil(bytes.byteLength / REPLAY_CHUNK_BODY_BYTES);
  const chunks = Array.from({ length: count }, (_, index) => ({
    id,
    index,
    count,
    bodyBase64: bytes
      .subarray(index * REPLAY_CHUNK_BODY_BYTES, (index + 1) * REPLAY_CHUNK_BODY_BYTES)
      .toString('base64'),
  }));
  const head = { query: record.query, receivedAt: record.receivedAt, bodyChunks: { id, count }, ...sealingOf(record) };
  return { replay: head, chunks };
};
