import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { listOf, numberOf, objectOf, type PlainValue, plainObject, textOf } from '../dynamo/attributeValue.js';
import { itemSizeBytes } from '../dynamo/itemSize.js';
import { groupPartitionKey, groupStateSortKey } from '../dynamo/tableKeys.js';
import { canonicalJson } from '../tencent/deliveryId.js';
import type { AttributeChange, GroupState } from './fold.js';
import { MERGE_VERSION } from './fold.js';

/**
 * The state item as stored (docs/reference.md, "The state item"): the public fields as top-level attributes, so a
 * stream consumer or a console user reads them directly, and the merge's bookkeeping beside them. `version` counts
 * writes; every write is conditional on the version it read. `mergeVersion` is the merge that wrote it.
 */
export type StateItem = Record<string, AttributeValue>;

/**
 * The most a state item may take, well below DynamoDB's 400 KB item limit (409,600 bytes). Tencent allows
 * 16 KB of attributes, so only hostile or unusual events get near it. Beyond it the item drops its
 * bookkeeping (`replayOnly`: each later event replays the group) and, if still too large, the attributes
 * after the last one that fits in key order (`attributesTruncated`).
 */
export const STATE_ITEM_BUDGET_BYTES = 300 * 1024;

const stringOrNull = (value: string | null): AttributeValue => (value === null ? { NULL: true } : { S: value });
const numberOrNull = (value: number | null): AttributeValue => (value === null ? { NULL: true } : { N: String(value) });
const stringMap = (values: Record<string, string>): AttributeValue => ({
  M: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { S: value }])),
});

/**
 * Attribute keys are Tencent's users' strings: stored as `{key, value}` list entries (as the event item's
 * `groupAttr`), never as map keys, which the AWS SDK cannot round-trip for a key such as `__proto__`.
 */
const keyValueEntry = ([key, value]: [string, string]): AttributeValue => ({
  M: { key: { S: key }, value: { S: value } },
});

/** The value of a live change is the visible attribute's: stored once, under `attributes`. */
const changeValue = (key: string, change: AttributeChange): AttributeValue => ({
  M:
    change.value === undefined
      ? { key: { S: key }, changedBy: { S: change.changedBy }, deleted: { BOOL: true } }
      : { key: { S: key }, changedBy: { S: change.changedBy } },
});

export const groupStateKey = (groupId: string): Record<string, AttributeValue> => ({
  pk: { S: groupPartitionKey(groupId) },
  sk: { S: groupStateSortKey() },
});

const publicFields = (state: GroupState, version: number, updatedAt: number): StateItem => ({
  ...groupStateKey(state.groupId),
  groupId: { S: state.groupId },
  type: stringOrNull(state.type),
  name: stringOrNull(state.name),
  owner: stringOrNull(state.owner),
  destroyed: { BOOL: state.destroyed },
  destroyedAt: numberOrNull(state.destroyedAt),
  lastFullAt: numberOrNull(state.lastFullAt),
  fullCount: { N: String(state.fullCount) },
  lastEventTime: { N: String(state.lastEventTime) },
  eventCount: { N: String(state.eventCount) },
  version: { N: String(version) },
  mergeVersion: { N: String(MERGE_VERSION) },
  updatedAt: { N: String(updatedAt) },
});

const bookkeeping = (state: GroupState): StateItem => ({
  fieldsChangedBy: stringMap(state.bookkeeping.fieldsChangedBy as Record<string, string>),
  attributeChanges: {
    L: Object.entries(state.bookkeeping.attributeChanges).map(([key, change]) => changeValue(key, change)),
  },
  attributesResetBy: stringOrNull(state.bookkeeping.attributesResetBy),
  latestEventKeys: { L: state.bookkeeping.latestEventKeys.map((sortKey) => ({ S: sortKey })) },
});

/** The attributes in key order, as many as fit in `budget` bytes beside `rest`. */
const attributesWithin = (attributes: Record<string, string>, rest: StateItem, budget: number): AttributeValue[] => {
  const kept: AttributeValue[] = [];
  let size = itemSizeBytes({ ...rest, attributes: { L: [] }, attributesTruncated: { BOOL: true } });
  for (const entry of Object.entries(attributes)) {
    const encoded = keyValueEntry(entry);
    size += 1 + itemSizeBytes({ '': encoded });
    if (size > budget) break;
    kept.push(encoded);
  }
  return kept;
};

export const groupStateItem = (
  state: GroupState,
  version: number,
  updatedAt: number,
  budget = STATE_ITEM_BUDGET_BYTES,
): StateItem => {
  const full: StateItem = {
    ...publicFields(state, version, updatedAt),
    attributes: { L: Object.entries(state.attributes).map(keyValueEntry) },
    ...bookkeeping(state),
  };
  if (itemSizeBytes(full) <= budget) return full;
  const compact = { ...publicFields(state, version, updatedAt), replayOnly: { BOOL: true } };
  const attributes = attributesWithin(state.attributes, compact, budget);
  const truncated = attributes.length < Object.keys(state.attributes).length;
  return { ...compact, attributes: { L: attributes }, ...(truncated ? { attributesTruncated: { BOOL: true } } : {}) };
};

const textOrNull = (value: PlainValue | undefined): string | null => textOf(value) ?? null;
const numberOrNullOf = (value: PlainValue | undefined): number | null => numberOf(value) ?? null;

const textMap = (value: PlainValue | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(objectOf(value)).flatMap(([key, entry]) =>
      typeof entry === 'string' ? [[key, entry] as const] : [],
    ),
  );

const keyValues = (value: PlainValue | undefined): Record<string, string> =>
  Object.fromEntries(
    listOf(value).flatMap((entry) => {
      const { key, value: text } = objectOf(entry);
      return typeof key === 'string' && typeof text === 'string' ? [[key, text] as const] : [];
    }),
  );

const readChanges = (
  value: PlainValue | undefined,
  attributes: Record<string, string>,
): Record<string, AttributeChange> =>
  Object.fromEntries(
    listOf(value).flatMap((entry) => {
      const { key, changedBy, deleted } = objectOf(entry);
      if (typeof key !== 'string' || typeof changedBy !== 'string') return [];
      const current = Object.hasOwn(attributes, key) ? attributes[key] : undefined;
      return [
        [key, deleted === true || current === undefined ? { changedBy } : { changedBy, value: current }] as const,
      ];
    }),
  );

const texts = (value: PlainValue | undefined): string[] =>
  listOf(value).flatMap((entry) => (typeof entry === 'string' ? [entry] : []));

/** The stored state, the version it was written with, and whether the merge may build on it. */
export interface StoredGroupState {
  state: GroupState;
  version: number;
  /** The merge that wrote it (1 for items written before the field existed). */
  mergeVersion: number;
  /** The item holds no bookkeeping (it reached STATE_ITEM_BUDGET_BYTES): only a replay can update it. */
  replayOnly: boolean;
  /** Some attributes did not fit the item (see STATE_ITEM_BUDGET_BYTES). */
  attributesTruncated: boolean;
  /** The item as read. */
  item: StateItem;
}

export const groupStateFromItem = (item: StateItem): StoredGroupState => {
  const plain = plainObject(item);
  const attributes = keyValues(plain.attributes);
  return {
    version: numberOf(plain.version) ?? 0,
    mergeVersion: numberOf(plain.mergeVersion) ?? 1,
    replayOnly: plain.replayOnly === true,
    attributesTruncated: plain.attributesTruncated === true,
    item,
    state: {
      groupId: textOf(plain.groupId) ?? '',
      type: textOrNull(plain.type),
      name: textOrNull(plain.name),
      owner: textOrNull(plain.owner),
      destroyed: plain.destroyed === true,
      destroyedAt: numberOrNullOf(plain.destroyedAt),
      lastFullAt: numberOrNullOf(plain.lastFullAt),
      fullCount: numberOf(plain.fullCount) ?? 0,
      attributes,
      lastEventTime: numberOf(plain.lastEventTime) ?? 0,
      eventCount: numberOf(plain.eventCount) ?? 0,
      bookkeeping: {
        fieldsChangedBy: textMap(plain.fieldsChangedBy),
        attributeChanges: readChanges(plain.attributeChanges, attributes),
        attributesResetBy: textOrNull(plain.attributesResetBy),
        latestEventKeys: texts(plain.latestEventKeys),
      },
    },
  };
};

/** True when the merge may fold an event into this stored state; otherwise the group is replayed. */
export const isMergeable = (stored: StoredGroupState): boolean =>
  stored.mergeVersion === MERGE_VERSION && !stored.replayOnly;

/** Whether two state items hold the same state, whoever wrote them when (`version` and `updatedAt` aside). */
export const sameStateContent = (a: StateItem, b: StateItem): boolean => {
  const content = ({ version: _, updatedAt: __, ...rest }: StateItem) => rest;
  return canonicalJson(content(a)) === canonicalJson(content(b));
};
