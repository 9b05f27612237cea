import { type ItemImage, listOf, numberOf, objectOf, plainObject, textOf } from '../dynamo/attributeValue.js';
import { EVENT_SORT_KEY_PREFIX } from '../eventStore/keys.js';

/** What the state merge needs from one recorded event item (the item the webhook wrote, or a stream's NewImage). */
export interface StateMergeInput {
  groupId: string;
  command: string;
  eventTime: number;
  deliveryId: string;
  /**
   * The event item's sort key, `EVENT#<EventTime, zero-padded>#<deliveryId>`. Compared as strings it orders
   * events by EventTime, then deliveryId: the order the state is a replay of.
   */
  sortKey: string;
  groupType?: string | undefined;
  ownerAccount?: string | undefined;
  groupName?: string | undefined;
  optionType?: string | undefined;
  /** `value` is absent in a keys-only `delete` entry. */
  groupAttr?: { key: string; value?: string }[] | undefined;
  /** Set on a Community topic's group-full: the topic is full, not the group. */
  topicId?: string | undefined;
}

const attributeList = (value: ReturnType<typeof plainObject>[string] | undefined): { key: string; value?: string }[] | undefined => {
  if (!Array.isArray(value)) return undefined;
  return listOf(value).flatMap((entry) => {
    const { key, value: attributeValue } = objectOf(entry);
    const keyText = textOf(key);
    const valueText = textOf(attributeValue);
    if (keyText === undefined) return [];
    return [valueText === undefined ? { key: keyText } : { key: keyText, value: valueText }];
  });
};

/** Reads a recorded event item; undefined for any other item of the table (the state item, an UNTIMED# claim). */
export const stateMergeInputFromItem = (item: ItemImage | undefined): StateMergeInput | undefined => {
  if (item === undefined) return undefined;
  const plain = plainObject(item);
  const sortKey = textOf(plain.sk);
  const groupId = textOf(plain.groupId);
  const command = textOf(plain.command);
  const deliveryId = textOf(plain.deliveryId);
  const eventTime = numberOf(plain.eventTime);
  if (!sortKey?.startsWith(EVENT_SORT_KEY_PREFIX) || groupId === undefined || command === undefined) return undefined;
  if (deliveryId === undefined || eventTime === undefined || !Number.isSafeInteger(eventTime)) return undefined;
  return {
    groupId,
    command,
    eventTime,
    deliveryId,
    sortKey,
    groupType: textOf(plain.groupType),
    ownerAccount: textOf(plain.ownerAccount),
    groupName: textOf(plain.groupName),
    optionType: textOf(plain.optionType),
    groupAttr: attributeList(plain.groupAttr),
    topicId: textOf(plain.topicId),
  };
};
