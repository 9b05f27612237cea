import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { groupPartitionKey, groupStateSortKey } from './eventKey.js';
import type { AttributeChange, GroupState } from './groupState.js';

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

const text = (value: AttributeValue | undefined): string | null => (value?.S === undefined ? null : value.S);
const number = (value: AttributeValue | undefined): number | null => (value?.N === undefined ? null : Number(value.N));
const textMap = (value: AttributeValue | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(value?.M ?? {}).flatMap(([key, entry]) => (entry.S === undefined ? [] : [[key, entry.S] as const])),
  );

const keyValues = (value: AttributeValue | undefined): Record<string, string> =>
  Object.fromEntries(
    (value?.L ?? []).flatMap((entry) => {
      const key = entry.M?.key?.S;
      const text = entry.M?.value?.S;
      return key === undefined || text === undefined ? [] : [[key, text] as const];
    }),
  );

const readChanges = (value: AttributeValue | undefined): Record<string, AttributeChange> =>
  Object.fromEntries(
    (value?.L ?? []).flatMap((entry) => {
      const key = entry.M?.key?.S;
      const changedBy = entry.M?.changedBy?.S;
      if (key === undefined || changedBy === undefined) return [];
      const text = entry.M?.value?.S;
      return [[key, text === undefined ? { changedBy } : { changedBy, value: text }] as const];
    }),
  );

/** The stored state and the version it was written with. */
export interface StoredGroupState {
  state: GroupState;
  version: number;
}

export const groupStateFromItem = (item: StateItem): StoredGroupState => ({
  version: number(item.version) ?? 0,
  state: {
    groupId: text(item.groupId) ?? '',
    type: text(item.type),
    name: text(item.name),
    owner: text(item.owner),
    destroyed: item.destroyed?.BOOL === true,
    destroyedAt: number(item.destroyedAt),
    lastFullAt: number(item.lastFullAt),
    fullCount: number(item.fullCount) ?? 0,
    attributes: keyValues(item.attributes),
    lastEventTime: number(item.lastEventTime) ?? 0,
    bookkeeping: {
      fieldsChangedBy: textMap(item.fieldsChangedBy),
      attributeChanges: readChanges(item.attributeChanges),
      attributesResetBy: text(item.attributesResetBy),
      countedFullDeliveries: (item.countedFullDeliveries?.L ?? []).flatMap((entry) => (entry.S === undefined ? [] : [entry.S])),
    },
  },
});
