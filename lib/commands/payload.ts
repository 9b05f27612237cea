import type { StorableValue } from '../dynamo/attributeValue.js';
import { deliveryId } from '../eventStore/deliveryId.js';
import { EVENT_TIME_DIGITS } from '../eventStore/keys.js';
import type { ValidatedGroupEvent } from '../eventStore/types.js';
import { InputLimit } from '../webhook/constants.js';
import { WebhookRejectedError } from '../webhook/errors.js';
import { isWellFormedText } from '../wellFormedText.js';
import type { WebhookDelivery } from './types.js';

/** A JSON object from a webhook body: unknown fields are kept, never refused. */
export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The rejection for a field of the wrong type, named by its path (`MemberList.0.Member_Account`). */
const wrongType = (path: string, expected: 'string' | 'array' | 'object'): WebhookRejectedError =>
  new WebhookRejectedError('PayloadInvalid', `${path} must be of type ${expected}`);

/** A string field of at most `maxLength` characters (the limits are InputLimit's). */
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

/** Latest EventTime accepted: as many digits of ms as the sort key holds (year 33658), every value a safe integer. */
const MAX_EVENT_TIME = 10 ** EVENT_TIME_DIGITS - 1;
const EVENT_TIME_TEXT = new RegExp(`^\\d{1,${EVENT_TIME_DIGITS}}$`);

/** Fields every group webhook carries; checked before the command's own fields, with their own reasons. */
export interface GroupPayload {
  groupId: string;
  /** Tencent's EventTime in ms; undefined when the body has none (older documentation pages omit it). */
  eventTime: number | undefined;
}

const readGroupId = (body: JsonObject): string => {
  const groupId = body.GroupId;
  // Not well-formed (a lone surrogate): stored as U+FFFD, two such IDs would share one group.
  if (typeof groupId !== 'string' || groupId === '' || groupId.length > InputLimit.groupIdLength || !isWellFormedText(groupId)) {
    throw new WebhookRejectedError(
      'GroupIdInvalid',
      `GroupId must be a non-empty string of well-formed Unicode, at most ${InputLimit.groupIdLength} characters`,
    );
  }
  return groupId;
};

/** Tencent documents EventTime as an Integer but its samples send a numeric string; both are accepted. */
const readEventTime = (body: JsonObject): number | undefined => {
  const eventTime = body.EventTime;
  if (eventTime === undefined) return undefined;
  if (typeof eventTime === 'number' && Number.isInteger(eventTime) && eventTime >= 0 && eventTime <= MAX_EVENT_TIME) {
    return eventTime;
  }
  if (typeof eventTime === 'string' && EVENT_TIME_TEXT.test(eventTime)) return Number(eventTime);
  throw new WebhookRejectedError(
    'EventTimeInvalid',
    `EventTime must be milliseconds since the epoch: an integer or a string of up to ${EVENT_TIME_DIGITS} digits`,
  );
};

export const readGroupPayload = (body: JsonObject): GroupPayload => ({
  groupId: readGroupId(body),
  eventTime: readEventTime(body),
});

/** Builds the event to record from a delivery, its common fields and the command's typed fields. */
export const groupEventFrom = (
  delivery: WebhookDelivery,
  payload: GroupPayload,
  fields: Record<string, StorableValue | undefined>,
): ValidatedGroupEvent => ({
  deliveryId: deliveryId(delivery.sdkAppId, delivery.command, delivery.body),
  sdkAppId: delivery.sdkAppId,
  command: delivery.command,
  groupId: payload.groupId,
  eventTime: payload.eventTime,
  receivedAt: delivery.receivedAt,
  clientIp: delivery.clientIp,
  optPlatform: delivery.optPlatform,
  rawBody: delivery.rawBody,
  fields: withoutUndefined(fields),
});

const withoutUndefined = (fields: Record<string, StorableValue | undefined>): Record<string, StorableValue> =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Record<string, StorableValue>;
