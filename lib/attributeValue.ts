import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { EventFieldValue } from './groupEvent.js';

/** Marshals the few value shapes an event item holds; small enough not to need @aws-sdk/util-dynamodb. */
export const toAttributeValue = (value: EventFieldValue): AttributeValue => {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toAttributeValue) };
  return { M: toAttributeMap(value) };
};

export const toAttributeMap = (values: { [key: string]: EventFieldValue }): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, toAttributeValue(value)]));
