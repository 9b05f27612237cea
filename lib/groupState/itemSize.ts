import type { AttributeValue } from '@aws-sdk/client-dynamodb';

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** DynamoDB's stored size of one value, rounded up (a number counts as its largest, 21 bytes). */
const valueSize = (value: AttributeValue): number => {
  if (value.S !== undefined) return utf8Bytes(value.S);
  if (value.N !== undefined) return 21;
  if (value.L !== undefined) return 3 + value.L.reduce((sum, entry) => sum + 1 + valueSize(entry), 0);
  if (value.M !== undefined) return 3 + itemSizeBytes(value.M) + Object.keys(value.M).length;
  return 1;
};

/**
 * An upper bound of an item's size as DynamoDB counts it against its 400 KB limit: attribute names and
 * string values in UTF-8 bytes, numbers at their maximum, 3 bytes per list or map plus 1 per element.
 */
export const itemSizeBytes = (item: Record<string, AttributeValue>): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + utf8Bytes(name) + valueSize(value), 0);
