import type { TypedFieldValue, ValidatedGroupEvent, WebhookDelivery } from './delivery.js';
import { deliveryId } from './deliveryId.js';
import { InputLimit } from './limits.js';
import { WebhookRejectedError } from './rejection.js';
import { describeJsonType, type ShapeNotes } from './shapeNotes.js';

/**
 * Payload readers. Record, don't refuse: Tencent does not retry a refused "after" webhook, so a field of an
 * unexpected type or length is read as far as it can be, noted, and the event is recorded with its whole body.
 * Only a body whose group cannot be identified (no usable GroupId) is refused.
 */

/** A JSON object from a webhook body: unknown fields are kept, never refused. */
export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A text field. A string as sent (up to `maxLength` characters, InputLimit's); a number or boolean typed as its
 * JSON text (a numeric UserID is still a UserID); anything else, or a longer string, is left untyped. Each of
 * these is noted; absent is not.
 */
export const readText = (
  object: JsonObject,
  key: string,
  maxLength: number,
  notes: ShapeNotes,
  path = key,
): string | undefined => {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    if (value.length <= maxLength) return value;
    notes.add(path, `longer than ${maxLength} characters, not typed`);
    return undefined;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    notes.add(path, `${describeJsonType(value)}, typed as its JSON text`);
    return JSON.stringify(value);
  }
  notes.add(path, `${describeJsonType(value)}, not typed`);
  return undefined;
};

/** A text field a list entry needs: as readText, and its absence is noted too. */
export const readEntryText = (
  entry: JsonObject,
  key: string,
  maxLength: number,
  notes: ShapeNotes,
  path: string,
): string | undefined => {
  if (entry[key] !== undefined) return readText(entry, key, maxLength, notes, path);
  notes.add(path, 'missing, entry not typed');
  return undefined;
};

/** A list field: absent is fine; null or another type is noted and read as absent. */
export const readList = (object: JsonObject, key: string, notes: ShapeNotes): unknown[] | undefined => {
  const value = object[key];
  if (value === undefined || Array.isArray(value)) return value;
  notes.add(key, `${describeJsonType(value)} instead of a list, not typed`);
  return undefined;
};

/** The entries of a list that are objects, each read by `readEntry` (undefined skips it); others are noted. */
export const readEntries = <Entry>(
  list: readonly unknown[],
  listPath: string,
  notes: ShapeNotes,
  readEntry: (entry: JsonObject, path: string) => Entry | undefined,
): Entry[] =>
  list.flatMap((entry, index) => {
    const path = `${listPath}.${index}`;
    if (!isJsonObject(entry)) {
      notes.add(path, `${describeJsonType(entry)} instead of an object, not typed`);
      return [];
    }
    const read = readEntry(entry, path);
    return read === undefined ? [] : [read];
  });

/** Latest EventTime accepted (InputLimit.eventTimeDigits). */
const MAX_EVENT_TIME = 10 ** InputLimit.eventTimeDigits - 1;
const EVENT_TIME_TEXT = new RegExp(`^\\d{1,${InputLimit.eventTimeDigits}}$`);

/**
 * False for a string holding a lone UTF-16 surrogate. Such text has no UTF-8 form: DynamoDB and JSON
 * encoders replace the surrogate with U+FFFD, so two different lone-surrogate IDs would share one key.
 * (`String.prototype.isWellFormed` is ES2024; with the `u` flag a lone surrogate is a `\p{Cs}` code point.)
 */
export const isWellFormedText = (text: string): boolean => !/\p{Cs}/u.test(text);

/** Fields every group webhook carries. */
export interface GroupPayload {
  groupId: string;
  /** Tencent's EventTime in ms; undefined when the body has none or an unusable one (the receive time is used then). */
  eventTime: number | undefined;
}

/** The one field without which an event cannot be stored: it names the item collection. */
const readGroupId = (body: JsonObject): string => {
  const groupId = body.GroupId;
  // Not well-formed (a lone surrogate): stored as U+FFFD, two such IDs would share one group.
  if (
    typeof groupId !== 'string' ||
    groupId === '' ||
    groupId.length > InputLimit.groupIdLength ||
    !isWellFormedText(groupId)
  ) {
    throw new WebhookRejectedError(
      'GroupIdInvalid',
      `GroupId must be a non-empty string of well-formed Unicode, at most ${InputLimit.groupIdLength} characters`,
    );
  }
  return groupId;
};

/** Tencent documents EventTime as an Integer but its samples send a numeric string; both are read. */
const readEventTime = (body: JsonObject, notes: ShapeNotes): number | undefined => {
  const eventTime = body.EventTime;
  if (eventTime === undefined) return undefined;
  if (typeof eventTime === 'number' && Number.isInteger(eventTime) && eventTime >= 0 && eventTime <= MAX_EVENT_TIME) {
    return eventTime;
  }
  if (typeof eventTime === 'string' && EVENT_TIME_TEXT.test(eventTime)) return Number(eventTime);
  notes.add(
    'EventTime',
    `${describeJsonType(eventTime)} that is not milliseconds since the epoch; the receive time is used`,
  );
  return undefined;
};

/** The body's CallbackCommand only repeats the query's; the query's wins (it routed the request). */
const noteBodyCommand = (delivery: WebhookDelivery, notes: ShapeNotes): void => {
  const bodyCommand = delivery.body.CallbackCommand;
  if (bodyCommand === undefined || bodyCommand === delivery.command) return;
  notes.add(
    'CallbackCommand',
    typeof bodyCommand === 'string'
      ? "differs from the query's; recorded as the query's"
      : `${describeJsonType(bodyCommand)}, ignored`,
  );
};

export const readGroupPayload = (delivery: WebhookDelivery, notes: ShapeNotes): GroupPayload => {
  const groupId = readGroupId(delivery.body);
  noteBodyCommand(delivery, notes);
  return { groupId, eventTime: readEventTime(delivery.body, notes) };
};

/** Builds the event to record from a delivery, its common fields, the command's typed fields and the notes. */
export const groupEventFrom = (
  delivery: WebhookDelivery,
  payload: GroupPayload,
  fields: Record<string, TypedFieldValue | undefined>,
  notes: ShapeNotes,
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
  ...(delivery.rawBodyBytes === undefined ? {} : { rawBodyBytes: delivery.rawBodyBytes }),
  fields: withoutUndefined(fields),
  shapeNotes: noteBodyBytes(delivery, notes).list(),
});

const noteBodyBytes = (delivery: WebhookDelivery, notes: ShapeNotes): ShapeNotes => {
  if (delivery.rawBodyBytes !== undefined)
    notes.add('body', 'not valid UTF-8; stored as the bytes received (bodyGzip)');
  return notes;
};

const withoutUndefined = (fields: Record<string, TypedFieldValue | undefined>): Record<string, TypedFieldValue> =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Record<
    string,
    TypedFieldValue
  >;
