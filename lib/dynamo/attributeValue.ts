import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** Values our items hold, as plain JSON: what the encoder takes and the decoder gives back. */
export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

/** An item as the SDK returns it or as a stream record's image carries it (the same JSON shape). */
export type ItemImage = Record<string, AttributeValue> | Record<string, Partial<Record<keyof AttributeValue, unknown>>>;

/** What an encoder can store: plain JSON without null (an event item's typed fields are never null). */
export type StorableValue = string | number | boolean | StorableValue[] | { [key: string]: StorableValue };

/** Marshals the few value shapes an event item holds; small enough not to need @aws-sdk/util-dynamodb. */
export const toAttributeValue = (value: StorableValue): AttributeValue => {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toAttributeValue) };
  return { M: toAttributeMap(value) };
};

export const toAttributeMap = (values: { [key: string]: StorableValue }): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, toAttributeValue(value)]));

/**
 * The one decoder: an attribute value (from the SDK or a stream image) → plain JSON. Anything it does not
 * know (NULL, binary) decodes to null, so a reader never throws on an item it did not write.
 */
export const plainValue = (value: unknown): PlainValue => {
  const typed = (value ?? {}) as Partial<Record<keyof AttributeValue, unknown>>;
  if (typeof typed.S === 'string') return typed.S;
  if (typeof typed.N === 'string') return Number(typed.N);
  if (typeof typed.BOOL === 'boolean') return typed.BOOL;
  if (Array.isArray(typed.L)) return typed.L.map(plainValue);
  if (typed.M !== null && typeof typed.M === 'object') return plainObject(typed.M as Record<string, unknown>);
  if (Array.isArray(typed.SS)) return typed.SS.filter((entry): entry is string => typeof entry === 'string');
  if (Array.isArray(typed.NS)) return typed.NS.map(Number);
  return null;
};

export const plainObject = (values: ItemImage | Record<string, unknown>): { [key: string]: PlainValue } =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, plainValue(value)]));

/** Readers of one decoded attribute: the value when it has the expected type, else undefined. */
export const textOf = (value: PlainValue | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;
export const numberOf = (value: PlainValue | undefined): number | undefined =>
  typeof value === 'number' ? value : undefined;
export const listOf = (value: PlainValue | undefined): PlainValue[] => (Array.isArray(value) ? value : []);
export const objectOf = (value: PlainValue | undefined): { [key: string]: PlainValue } =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
