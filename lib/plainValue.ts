import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

/** Unmarshals the value shapes our items hold (the counterpart of attributeValue.ts) for JSON answers. */
export const plainValue = (value: AttributeValue): PlainValue => {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.L !== undefined) return value.L.map(plainValue);
  if (value.M !== undefined) return plainObject(value.M);
  if (value.SS !== undefined) return value.SS;
  if (value.NS !== undefined) return value.NS.map(Number);
  return null;
};

export const plainObject = (values: Record<string, AttributeValue>): { [key: string]: PlainValue } =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, plainValue(value)]));
