import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What a replay record's seal covers: everything the redrive and `npm run replay` act on. The body by its digest,
 * so that a record split over chunk lines is sealed in its head and its reassembled body checked against it.
 */
export interface SealedReplayFields {
  query: Record<string, string>;
  receivedAt: number;
  bodySha256: string;
  /** A request logged before its Sign could be checked (the token could not be read): checked at replay. */
  unverified?: { sign: string; requestTime: string } | undefined;
}

/** A seal's format: changing what it covers changes this, so an older seal is told apart, not misread. */
const SEAL_VERSION = 'replay-seal-v1';

export const bodySha256Of = (body: string | Uint8Array): string => createHash('sha256').update(body).digest('hex');

const sealedText = ({ query, receivedAt, bodySha256, unverified }: SealedReplayFields): string =>
  JSON.stringify([
    SEAL_VERSION,
    receivedAt,
    bodySha256,
    Object.entries(query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    unverified === undefined ? null : [unverified.sign, unverified.requestTime],
  ]);

/** HMAC-SHA256, hex, keyed by the stage's replay seal key. */
export const replaySeal = (fields: SealedReplayFields, key: string): string =>
  createHmac('sha256', key).update(sealedText(fields)).digest('hex');

/** Whether `seal` was made by one of `keys` over exactly these fields; every key is tried, in constant time each. */
export const sealVerifies = (fields: SealedReplayFields, seal: string, keys: readonly string[]): boolean => {
  const given = Buffer.from(seal, 'utf8');
  const results = keys.map((key) => {
    const expected = Buffer.from(replaySeal(fields, key), 'utf8');
    return expected.byteLength === given.byteLength && timingSafeEqual(expected, given);
  });
  return results.includes(true);
};
