import { deliveryId } from './eventKey.js';
import { InputLimit } from './inputLimits.js';
import type { EventFieldValue, GroupEvent } from './groupEvent.js';
import type { JsonObject } from './payloadFields.js';
import type { WebhookDelivery } from './webhookDelivery.js';
import { WebhookRejectedError } from './webhookRejectedError.js';

/** Latest EventTime accepted: 15 digits of ms (year 33658), which keeps every value a safe integer and the sort key fixed-width. */
const MAX_EVENT_TIME = 999_999_999_999_999;
const EVENT_TIME_DIGITS = /^\d{1,15}$/;

/** Fields every group webhook carries; checked before the command's own fields, with their own reasons. */
export interface GroupPayload {
  groupId: string;
  /** Tencent's EventTime in ms; undefined when the body has none (older documentation pages omit it). */
  eventTime: number | undefined;
}

const readGroupId = (body: JsonObject): string => {
  const groupId = body.GroupId;
  if (typeof groupId !== 'string' || groupId === '' || groupId.length > InputLimit.groupIdLength) {
    throw new WebhookRejectedError(
      'GroupIdInvalid',
      `GroupId must be a non-empty string of at most ${InputLimit.groupIdLength} characters`,
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
  if (typeof eventTime === 'string' && EVENT_TIME_DIGITS.test(eventTime)) return Number(eventTime);
  throw new WebhookRejectedError(
    'EventTimeInvalid',
    'EventTime must be milliseconds since the epoch: an integer or a string of up to 15 digits',
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
  fields: Record<string, EventFieldValue | undefined>,
): GroupEvent => ({
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

const withoutUndefined = (fields: Record<string, EventFieldValue | undefined>): Record<string, EventFieldValue> =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Record<
    string,
    EventFieldValue
  >;
