import { createHash } from 'node:crypto';

/**
 * What the log line of a request that was not recorded carries so that it can be recorded later (`npm run replay`,
 * the `redrive` function): the query without Sign and RequestTime (the replay is not re-signed, and a Sign must
 * not outlive its request), the body exactly as received, and the receive time the first attempt used.
 */
export interface ReplayRecord {
  query: Record<string, string>;
  body: string;
  receivedAt: number;
}

/** A record whose body did not fit its log line: the body follows in `count` chunk lines sharing `id`. */
export interface ReplayRecordHead {
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

export const replayRecordOf = (
  queryStringParameters: Record<string, string | undefined> | null | undefined,
  body: string,
  receivedAt: number,
): ReplayRecord => ({
  query: Object.fromEntries(
    Object.entries(queryStringParameters ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !NOT_REPLAYED.has(entry[0]),
    ),
  ),
  body,
  receivedAt,
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
  return { replay: { query: record.query, receivedAt: record.receivedAt, bodyChunks: { id, count } }, chunks };
};
