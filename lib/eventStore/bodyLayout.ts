import { createHash } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ITEM_SIZE_LIMIT_BYTES, itemSizeBytes } from '../dynamo/itemSize.js';
import { bodyPartSortKey } from '../dynamo/tableKeys.js';

type Item = Record<string, AttributeValue>;

/** The most an event item may take: under DynamoDB's 400 KB, with room for where the size estimate could be short. */
export const EVENT_ITEM_BUDGET_BYTES = ITEM_SIZE_LIMIT_BYTES - 20 * 1024;
/** Compressed bytes per part item. */
export const BODY_PART_BYTES = 350_000;
/**
 * Typed fields that grow with the body, dropped from an event item that would not fit otherwise, in this order
 * (the body keeps them; `memberCount` stays). Their names are listed on the item in `typedFieldsOmitted`.
 */
export const BULKY_TYPED_FIELDS = ['memberAccounts', 'groupAttr'] as const;

/** How one event is stored: its item (the commit point) and the parts to write before it (usually none). */
export interface EventItemLayout {
  item: Item;
  parts: Item[];
}

/** zlib is loaded by the first body too large to store as text, not at every cold start (a few ms on Node 24). */
const gzip = (body: string | Uint8Array): Buffer => process.getBuiltinModule('node:zlib').gzipSync(body);

const withoutFields = (item: Item, names: readonly string[]): Item =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !names.includes(name)));

const fits = (item: Item): boolean => itemSizeBytes(item) <= EVENT_ITEM_BUDGET_BYTES;

/** The item with as few bulky typed fields left out as it takes to fit (or all of them). */
const fitted = (item: Item): Item => {
  for (let count = 0; count <= BULKY_TYPED_FIELDS.length; count += 1) {
    const omitted = BULKY_TYPED_FIELDS.slice(0, count).filter((name) => name in item);
    const candidate =
      omitted.length === 0
        ? item
        : { ...withoutFields(item, omitted), typedFieldsOmitted: { L: omitted.map((name) => ({ S: name })) } };
    if (fits(candidate) || count === BULKY_TYPED_FIELDS.length) return candidate;
  }
  return item;
};

const partsOf = (compressed: Buffer, eventItem: Item, digest: string, expiresAt: number | undefined): Item[] => {
  const count = Math.ceil(compressed.byteLength / BODY_PART_BYTES);
  const deliveryId = eventItem.deliveryId?.S ?? '';
  return Array.from({ length: count }, (_, index) => ({
    pk: eventItem.pk as AttributeValue,
    sk: { S: bodyPartSortKey(deliveryId, digest, index) },
    deliveryId: { S: deliveryId },
    partIndex: { N: String(index) },
    chunk: { B: compressed.subarray(index * BODY_PART_BYTES, (index + 1) * BODY_PART_BYTES) },
    ...(expiresAt === undefined ? {} : { expiresAt: { N: String(expiresAt) } }),
  }));
};

/**
 * Lays out an event item that holds its body as text (`body`). If it fits DynamoDB's item limit it is stored as
 * is. Otherwise the body is gzip-compressed into `bodyGzip` on the item; if that is still too large, the
 * compressed body is split over part items (`bodyParts` of them, `bodyPartsDigest` names them) that are written
 * before the event item, whose conditional put stays the one commit point. Bulky typed fields are dropped only
 * when the item would not fit with them. A body whose bytes are not UTF-8 (`receivedBytes`) is always stored
 * compressed, as those bytes: as text it would be their decoding, up to three times their size. Parts carry
 * `partsExpiresAt` (lib/eventStore/bodyPartExpiry.ts) as their `expiresAt`, none when it is undefined.
 */
export const layOutEventItem = (
  textItem: Item,
  {
    receivedBytes,
    partsExpiresAt,
  }: { receivedBytes?: Uint8Array | undefined; partsExpiresAt?: number | undefined } = {},
): EventItemLayout => {
  if (receivedBytes === undefined && fits(textItem)) return { item: textItem, parts: [] };
  const body = receivedBytes ?? textItem.body?.S ?? '';
  const compressed = gzip(body);
  const byteCount = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
  const withoutBody = { ...withoutFields(textItem, ['body']), bodyBytes: { N: String(byteCount) } };

  const inline = fitted({ ...withoutBody, bodyGzip: { B: compressed } });
  if (fits(inline)) return { item: inline, parts: [] };

  const digest = createHash('sha256').update(compressed).digest('hex').slice(0, 32);
  const item = fitted({
    ...withoutBody,
    bodyParts: { N: String(Math.ceil(compressed.byteLength / BODY_PART_BYTES)) },
    bodyPartsDigest: { S: digest },
  });
  return { item, parts: partsOf(compressed, item, digest, partsExpiresAt) };
};
