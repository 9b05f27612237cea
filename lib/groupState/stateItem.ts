import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type PlainValue, listOf, numberOf, objectOf, plainObject, textOf } from '../dynamo/attributeValue.js';
import { groupPartitionKey, groupStateSortKey } from '../eventStore/keys.js';
import type { AttributeChange, GroupState } from './merge.js';

/**
 * The state item as stored (README, "Group state"): the public fields as top-level attributes, so a stream
 * consumer or a console user reads them directly, and the merge's bookkeeping beside them. `version` counts
 * writes; every write is conditional on the version it read.
 */
export type StateItem = Record<string, AttributeValue>;

const stringOrNull = (value: string | null): AttributeValue => (value === null ? { NULL: true } : { S: value });
const numberOrNull = (value: number | null): AttributeValue => (value === null ? { NULL: true } : { N: String(value) });
const stringMap = (values: Record<string, string>): AttributeValue => ({
  M: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { S: value }])),
});

/**
 * Attribute keys are Tencent's users' strings: stored as `{key, value}` list entries (as the event item's
 * `groupAttr`), never as map keys, which the AWS SDK cannot round-trip for a key such as `__proto__`.
 */
const keyValueList = (values: Record<string, string>): AttributeValue => ({
  L: Object.entries(values).map(([key, value]) => ({ M: { key: { S: key }, value: { S: value } } })),
});

const changeValue = (key: string, change: AttributeChange): AttributeValue => ({
  M: change.value === undefined
    ? { key: { S: key }, changedBy: { S: change.changedBy }, deleted: { BOOL: true } }
    : { key: { S: key }, changedBy: { S: change.changedBy }, value: { S: change.value } },
});

export const groupStateKey = (groupId: string): Record<string, AttributeValue> => ({
  pk: { S: groupPartitionKey(groupId) },
  sk: { S: groupStateSortKey() },
});

export const groupStateItem = (state: GroupState, version: number, updatedAt: number): StateItem => ({
  ...groupStateKey(state.groupId),
  groupId: { S: state.groupId },
  type: stringOrNull(state.type),
  name: stringOrNull(state.name),
  owner: stringOrNull(state.owner),
  destroyed: { BOOL: state.destroyed },
  destroyedAt: numberOrNull(state.destroyedAt),
  lastFullAt: numberOrNull(state.lastFullAt),
  fullCount: { N: String(state.fullCount) },
  attributes: keyValueList(state.attributes),
  lastEventTime: { N: String(state.lastEventTime) },
  version: { N: String(version) },
  updatedAt: { N: String(updatedAt) },
  fieldsChangedBy: stringMap(state.bookkeeping.fieldsChangedBy as Record<string, string>),
  attributeChanges: { L: Object.entries(state.bookkeeping.attributeChanges).map(([key, change]) => changeValue(key, change)) },
  attributesResetBy: stringOrNull(state.bookkeeping.attributesResetBy),
  countedFullDeliveries: { L: state.bookkeeping.countedFullDeliveries.map((id) => ({ S: id })) },
});

const textOrNull = (value: PlainValue | undefined): string | null => textOf(value) ?? null;
const numberOrNullOf = (value: PlainValue | undefined): number | null => numberOf(value) ?? null;

const textMap = (value: PlainValue | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(objectOf(value)).flatMap(([key, entry]) => (typeof entry === 'string' ? [[key, entry] as const] : [])),
  );

const keyValues = (value: PlainValue | undefined): Record<string, string> =>
  Object.fromEntries(
    listOf(value).flatMap((entry) => {
      const { key, value: text } = objectOf(entry);
      return typeof key === 'string' && typeof text === 'string' ? [[key, text] as const] : [];
    }),
  );

const readChanges = (value: PlainValue | undefined): Record<string, AttributeChange> =>
  Object.fromEntries(
    listOf(value).flatMap((entry) => {
      const { key, changedBy, value: text } = objectOf(entry);
      if (typeof key !== 'string' || typeof changedBy !== 'string') return [];
      return [[key, typeof text === 'string' ? { changedBy, value: text } : { changedBy }] as const];
    }),
  );

/** The stored state and the version it was written with. */
export interface StoredGroupState {
  state: GroupState;
  version: number;
}

export const groupStateFromItem = (item: StateItem): StoredGroupState => {
  const plain = plainObject(item);
  return {
    version: numberOf(plain.version) ?? 0,
    state: {
      groupId: textOf(plain.groupId) ?? '',
      type: textOrNull(plain.type),
      name: textOrNull(plain.name),
      owner: textOrNull(plain.owner),
      destroyed: plain.destroyed === true,
      destroyedAt: numberOrNullOf(plain.destroyedAt),
      lastFullAt: numberOrNullOf(plain.lastFullAt),
      fullCount: numberOf(plain.fullCount) ?? 0,
      attributes: keyValues(plain.attributes),
      lastEventTime: numberOf(plain.lastEventTime) ?? 0,
      bookkeeping: {
        fieldsChangedBy: textMap(plain.fieldsChangedBy),
        attributeChanges: readChanges(plain.attributeChanges),
        attributesResetBy: textOrNull(plain.attributesResetBy),
        countedFullDeliveries: listOf(plain.countedFullDeliveries).flatMap((entry) => (typeof entry === 'string' ? [entry] : [])),
      },
    },
  };
};
