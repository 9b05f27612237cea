import { gunzipSync } from 'node:zlib';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import {
  type ItemImage,
  listOf,
  numberOf,
  type PlainValue,
  plainObject,
  plainValue,
  textOf,
} from '../dynamo/attributeValue.js';
import { BULKY_TYPED_FIELDS } from '../eventStore/bodyLayout.js';
import { BODY_STORAGE_ATTRIBUTES } from '../eventStore/storedBody.js';
import type { GroupCommandName } from '../tencent/commands.js';
import { DetailType, eventPathOf, type GroupEventDetail } from './publishedEvent.js';

/**
 * EventBridge's limit on one PutEvents entry, counted as it counts (entrySizeBytes): a larger entry is refused.
 * The whole request is held to it too (publishEntries).
 */
export const ENTRY_LIMIT_BYTES = 256 * 1024;

const utf8Bytes = (text: string | undefined): number => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));

/** EventBridge's count: Time as 14 bytes, then the UTF-8 bytes of Source, DetailType, Detail and each resource. */
export const entrySizeBytes = (entry: PutEventsRequestEntry): number =>
  (entry.Time === undefined ? 0 : 14) +
  utf8Bytes(entry.Source) +
  utf8Bytes(entry.DetailType) +
  utf8Bytes(entry.Detail) +
  (entry.Resources ?? []).reduce((total, resource) => total + utf8Bytes(resource), 0);

/** Attributes that say where the item sits or when it expires: not the event. */
const STORAGE_ONLY: ReadonlySet<string> = new Set(['pk', 'sk', 'expiresAt', ...BODY_STORAGE_ATTRIBUTES]);

/** The common attributes first, in docs/events.md's order; then the command's typed fields. */
const LEADING = [
  'groupId',
  'command',
  'eventTime',
  'eventTimeSource',
  'receivedAt',
  'deliveryId',
  'sdkAppId',
  'clientIp',
  'optPlatform',
] as const;

/**
 * A binary attribute of a stream image: Lambda hands it base64-encoded, the SDK as bytes. Undefined for anything
 * else.
 */
const bytesOf = (value: unknown): Buffer | undefined => {
  const binary = (value as { B?: unknown } | undefined)?.B;
  if (typeof binary === 'string') return Buffer.from(binary, 'base64');
  if (binary instanceof Uint8Array) return Buffer.from(binary);
  return undefined;
};

/**
 * The body as received when the item holds it (as text, or compressed in `bodyGzip`); undefined when it is stored
 * in part items, which the publisher does not read (the consumer reads the body at `bodyPath`).
 */
const inlineBodyOf = (image: ItemImage): string | undefined => {
  const text = textOf(plainValue(image.body));
  if (text !== undefined) return text;
  const compressed = bytesOf(image.bodyGzip);
  return compressed === undefined ? undefined : gunzipSync(compressed).toString('utf8');
};

/** The item is an event this receiver recorded: the fields the detail cannot do without are there. */
const isEventImage = (attributes: { [key: string]: PlainValue }): boolean =>
  typeof attributes.groupId === 'string' &&
  typeof attributes.command === 'string' &&
  Object.hasOwn(DetailType, attributes.command) &&
  typeof attributes.eventTime === 'number' &&
  typeof attributes.deliveryId === 'string';

export interface EntrySettings {
  eventBusName: string;
  source: string;
}

/**
 * The PutEvents entry for one recorded event item (a stream record's new image, or an item read from the table):
 * `detail-type` by command, `time` the event's time, `detail` the typed event with the body as received when the
 * entry fits EventBridge's limit with it, else `bodyOmitted` (the body is read at `bodyPath`). Undefined for an item
 * that is not an event.
 */
export const eventEntry = (
  image: ItemImage,
  { eventBusName, source }: EntrySettings,
): PutEventsRequestEntry | undefined => {
  const attributes = Object.fromEntries(Object.entries(plainObject(image)).filter(([name]) => !STORAGE_ONLY.has(name)));
  if (!isEventImage(attributes)) return undefined;
  const leading = Object.fromEntries(
    LEADING.filter((name) => name in attributes).map((name) => [name, attributes[name]]),
  );
  const groupId = attributes.groupId as string;
  const eventTime = numberOf(attributes.eventTime) as number;
  const detail = {
    ...leading,
    ...attributes,
    bodyPath: eventPathOf(groupId, eventTime, attributes.deliveryId as string),
  } as unknown as GroupEventDetail;

  const entryWith = (changes: { [name: string]: PlainValue | undefined }): PutEventsRequestEntry => ({
    EventBusName: eventBusName,
    Source: source,
    DetailType: DetailType[attributes.command as GroupCommandName],
    Time: new Date(eventTime),
    Detail: JSON.stringify({ ...detail, ...changes }),
  });
  const fits = (entry: PutEventsRequestEntry) => entrySizeBytes(entry) < ENTRY_LIMIT_BYTES;
  const body = inlineBodyOf(image);
  if (body !== undefined && fits(entryWith({ body }))) return entryWith({ body });
  // Without the body, the typed fields that grow with it go too, as they do from an item too large for them.
  const changes: { [name: string]: PlainValue | undefined } = { bodyOmitted: true };
  let omitted = listOf(attributes.typedFieldsOmitted).filter((name): name is string => typeof name === 'string');
  let entry = entryWith(changes);
  for (const field of BULKY_TYPED_FIELDS) {
    if (fits(entry) || !(field in attributes)) continue;
    omitted = [...omitted, field];
    Object.assign(changes, { [field]: undefined, typedFieldsOmitted: omitted });
    entry = entryWith(changes);
  }
  return entry;
};

/** The `deliveryId` in an entry's detail (for log lines and counts); undefined when there is none. */
export const deliveryIdOf = (entry: PutEventsRequestEntry): string | undefined => {
  try {
    const { deliveryId } = JSON.parse(entry.Detail ?? '{}') as { deliveryId?: unknown };
    return typeof deliveryId === 'string' ? deliveryId : undefined;
  } catch {
    return undefined;
  }
};
