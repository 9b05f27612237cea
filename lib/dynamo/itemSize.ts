import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** DynamoDB refuses an item larger than this (names and values together). */
export const ITEM_SIZE_LIMIT_BYTES = 400 * 1024;

/** DynamoDB stores a number in at most 21 bytes; counting the most keeps the estimate on the safe side. */
const NUMBER_BYTES = 21;
/** Per list or map, and per element of one, DynamoDB adds a few bytes of overhead; these are its published figures. */
const CONTAINER_BYTES = 3;
const ELEMENT_BYTES = 1;

const valueBytes = (value: AttributeValue): number => {
  if (value.S !== undefined) return Buffer.byteLength(value.S, 'utf8');
  if (value.N !== undefined) return NUMBER_BYTES;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.L !== undefined)
    return CONTAINER_BYTES + value.L.reduce((sum, element) => sum + ELEMENT_BYTES + valueBytes(element), 0);
  if (value.M !== undefined)
    return CONTAINER_BYTES + ELEMENT_BYTES + itemSizeBytes(value.M) + Object.keys(value.M).length * ELEMENT_BYTES;
  if (value.SS !== undefined) return value.SS.reduce((sum, element) => sum + Buffer.byteLength(element, 'utf8'), 0);
  return 1;
};

/** An item's size as DynamoDB counts it against its 400 KB limit, rounded up where the rules leave room. */
export const itemSizeBytes = (item: Record<string, AttributeValue>): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + valueBytes(value), 0);
