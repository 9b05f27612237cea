/**
 * Key builders for the one table. All items of a group share one partition (its item collection);
 * event sort keys start with the zero-padded EventTime so a Query returns events in event order.
 */

/**
 * Width of the EventTime part of an event's sort key: InputLimit.eventTimeDigits (lib/tencent/limits.ts), test-checked.
 */
export const EVENT_TIME_DIGITS = 15;

export const groupPartitionKey = (groupId: string): string => `GROUP#${groupId}`;

/** Every event item's sort key starts so; a Query with `begins_with(sk, :prefix)` returns events only. */
export const EVENT_SORT_KEY_PREFIX = 'EVENT#';

export const eventSortKey = (eventTime: number, deliveryId: string): string =>
  `${EVENT_SORT_KEY_PREFIX}${String(eventTime).padStart(EVENT_TIME_DIGITS, '0')}#${deliveryId}`;

/**
 * A part of a body too large for its event item (lib/eventStore/bodyLayout.ts). Outside the `EVENT#` range, so
 * event queries and the stream consumer's filter never see one; named by the delivery and the digest of the
 * compressed body, so a retry writes the same parts again, byte for byte, and nothing else.
 */
export const BODY_PART_SORT_KEY_PREFIX = 'BODYPART#';

/** The common prefix of one stored body's parts: a Query with `begins_with` returns them in order. */
export const bodyPartsPrefix = (deliveryId: string, compressedDigest: string): string =>
  `${BODY_PART_SORT_KEY_PREFIX}${deliveryId}#${compressedDigest}#`;

export const bodyPartSortKey = (deliveryId: string, compressedDigest: string, index: number): string =>
  `${bodyPartsPrefix(deliveryId, compressedDigest)}${String(index).padStart(4, '0')}`;

/**
 * The redrive's pending pieces of one replay record split over log lines that reached it in different batches
 * (lib/replay/pendingReplayChunks.ts): a partition of their own, apart from every group's.
 */
export const pendingReplayPartitionKey = (recordId: string): string => `REPLAY#${recordId}`;
export const PENDING_REPLAY_HEAD_SORT_KEY = 'HEAD';
/** Present when one of the record's chunk indexes came twice with different content. */
export const PENDING_REPLAY_CONFLICT_SORT_KEY = 'CONFLICT';
export const pendingReplayChunkSortKey = (index: number): string => `CHUNK#${String(index).padStart(4, '0')}`;

/** Claims the receive time of a delivery that carried no EventTime, so its retries reuse the same sort key. */
export const untimedDeliverySortKey = (deliveryId: string): string => `UNTIMED#${deliveryId}`;

/**
 * The group's state item (lib/groupState/), in the same item collection as its events. Outside the
 * `EVENT#` range, so event queries never see it.
 */
export const groupStateSortKey = (): string => 'STATE';
