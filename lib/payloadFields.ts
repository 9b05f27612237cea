import { WebhookRejectedError } from './webhookRejectedError.js';

/** A JSON object from a webhook body: unknown fields are kept, never refused. */
export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The rejection for a field of the wrong type, named by its path (`MemberList.0.Member_Account`). */
const wrongType = (path: string, expected: 'string' | 'array' | 'object'): WebhookRejectedError =>
  new WebhookRejectedError('PayloadInvalid', `${path} must be of type ${expected}`);

/** A string field of at most `maxLength` characters (the limits are in lib/inputLimits.ts). */
export const requiredString = (object: JsonObject, key: string, maxLength: number, path = key): string => {
  const value = object[key];
  if (typeof value !== 'string') throw wrongType(path, 'string');
  if (value.length > maxLength) {
    throw new WebhookRejectedError('PayloadInvalid', `${path} is too long (at most ${maxLength} characters)`);
  }
  return value;
};

/** Absent is fine; present it must be a string (null is not absent: Tencent never sends null). */
export const optionalString = (object: JsonObject, key: string, maxLength: number, path = key): string | undefined =>
  object[key] === undefined ? undefined : requiredString(object, key, maxLength, path);

/** Absent is fine; present it must be a list of objects, each read by `readEntry`. */
export const optionalListOf = <Entry>(
  object: JsonObject,
  key: string,
  readEntry: (entry: JsonObject, path: string) => Entry,
): Entry[] | undefined => {
  const value = object[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw wrongType(key, 'array');
  return value.map((entry: unknown, index) => {
    const path = `${key}.${index}`;
    if (!isJsonObject(entry)) throw wrongType(path, 'object');
    return readEntry(entry, path);
  });
};
