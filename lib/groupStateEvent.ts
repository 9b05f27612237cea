import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { EVENT_SORT_KEY_PREFIX } from './eventKey.js';

/** What the group state needs from one recorded event item (the item the webhook wrote, or a stream's NewImage). */
export interface GroupStateEvent {
  groupId: string;
  command: string;
  eventTime: number;
  deliveryId: string;
  /**
   * The event item's sort key, `EVENT#<EventTime, 15 digits>#<deliveryId>`. Compared as strings it orders
   * events by EventTime, then deliveryId: the order the state is a replay of.
   */
  sortKey: string;
  groupType?: string | undefined;
  ownerAccount?: string | undefined;
  groupName?: string | undefined;
  optionType?: string | undefined;
  groupAttr?: { key: string; value: string }[] | undefined;
}

/** Any item shape with the attribute values we read: the SDK's items and Lambda's stream images both fit. */
type ItemImage = Record<string, AttributeValue> | Record<string, Partial<Record<keyof AttributeValue, unknown>>>;

const text = (value: unknown): string | undefined => {
  const s = (value as { S?: unknown } | undefined)?.S;
  return typeof s === 'string' ? s : undefined;
};

const attributeList = (value: unknown): { key: string; value: string }[] | undefined => {
  const list = (value as { L?: unknown } | undefined)?.L;
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((entry: unknown) => {
    const map = (entry as { M?: Record<string, unknown> } | undefined)?.M;
    const key = text(map?.key);
    const attributeValue = text(map?.value);
    return key === undefined || attributeValue === undefined ? [] : [{ key, value: attributeValue }];
  });
};

/** Reads a recorded event item; undefined for any other item of the table (the state item, an UNTIMED# claim). */
export const groupStateEventFromItem = (item: ItemImage | undefined): GroupStateEvent | undefined => {
  if (item === undefined) return undefined;
  const record = item as Record<string, unknown>;
  const sortKey = text(record.sk);
  const groupId = text(record.groupId);
  const command = text(record.command);
  const deliveryId = text(record.deliveryId);
  const eventTime = Number((record.eventTime as { N?: unknown } | undefined)?.N);
  if (!sortKey?.startsWith(EVENT_SORT_KEY_PREFIX) || groupId === undefined || command === undefined) return undefined;
  if (deliveryId === undefined || !Number.isSafeInteger(eventTime)) return undefined;
  return {
    groupId,
    command,
    eventTime,
    deliveryId,
    sortKey,
    groupType: text(record.groupType),
    ownerAccount: text(record.ownerAccount),
    groupName: text(record.groupName),
    optionType: text(record.optionType),
    groupAttr: attributeList(record.groupAttr),
  };
};
