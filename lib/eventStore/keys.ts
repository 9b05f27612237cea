/**
 * Key builders for the one table. All items of a group share one partition (its item collection);
 * event sort keys start with the zero-padded EventTime so a Query returns events in event order.
 */

/** Width of the EventTime part of an event's sort key: also the most digits an accepted EventTime may have. */
export const EVENT_TIME_DIGITS = 15;

export const groupPartitionKey = (groupId: string): string => `GROUP#${groupId}`;

/** Every event item's sort key starts so; a Query with `begins_with(sk, :prefix)` returns events only. */
export const EVENT_SORT_KEY_PREFIX = 'EVENT#';

export const eventSortKey = (eventTime: number, deliveryId: string): string =>
  `${EVENT_SORT_KEY_PREFIX}${String(eventTime).padStart(EVENT_TIME_DIGITS, '0')}#${deliveryId}`;

/** Claims the receive time of a delivery that carried no EventTime, so its retries reuse the same sort key. */
export const untimedDeliverySortKey = (deliveryId: string): string => `UNTIMED#${deliveryId}`;

/**
 * The group's state item (lib/groupState/), in the same item collection as its events. Outside the
 * `EVENT#` range, so event queries never see it.
 */
export const groupStateSortKey = (): string => 'STATE';
