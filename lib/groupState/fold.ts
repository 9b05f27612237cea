import { type ItemImage, listOf, numberOf, objectOf, plainObject, textOf } from '../dynamo/attributeValue.js';
import { EVENT_SORT_KEY_PREFIX } from '../dynamo/tableKeys.js';
import { GroupCommand } from '../tencent/commands.js';

/**
 * The fold: a group's state is its recorded events folded in sort-key order. This file holds what the fold reads
 * from an event item, the state it computes, the merge of one or several events into a stored state, and the
 * replay that defines it.
 */
/** Sort keys and attribute keys compare as strings of UTF-16 code units, as DynamoDB orders ASCII keys. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Events in the order the state is a replay of. */
const inSortKeyOrder = (events: readonly StateMergeInput[]): StateMergeInput[] =>
  [...events].sort((a, b) => byCodeUnits(a.sortKey, b.sortKey));

/**
 * The version of the merge (this file) and of the state item's layout. Every state item
 * carries the version that wrote it; an item of another version is never merged into, its group is
 * replayed from its events instead. Bump this with any change to what the merge computes or keeps, then
 * roll the change out with `npm run rebuild-state -- --all` (or let each group's next event replay it).
 *
 * 1: items without `mergeVersion` (group-full deliveries remembered by deliveryId).
 * 2: `eventCount`, the newest events' sort keys remembered, attribute values stored once, bounded size.
 * 3: an attribute change whose typed list did not fit its event item is folded from its stored body (under 2 it
 *    was folded as an empty list), so every state of 2 is replayed once.
 */
export const MERGE_VERSION = 3;

/** What the state merge needs from one recorded event item (the item the webhook wrote, or a stream's NewImage). */
export interface StateMergeInput {
  groupId: string;
  command: string;
  eventTime: number;
  deliveryId: string;
  /**
   * The event item's sort key, `EVENT#<EventTime, zero-padded>#<deliveryId>`. Compared as strings it orders
   * events by EventTime, then deliveryId: the order the state is a replay of.
   */
  sortKey: string;
  groupType?: string | undefined;
  ownerAccount?: string | undefined;
  groupName?: string | undefined;
  optionType?: string | undefined;
  /** `value` is absent in a keys-only `delete` entry. */
  groupAttr?: { key: string; value?: string }[] | undefined;
  /** Set on a Community topic's group-full: the topic is full, not the group. */
  topicId?: string | undefined;
  /**
   * The event item had no room for its typed `groupAttr` (`typedFieldsOmitted`): the store reads it from the
   * stored body before folding, never folds the event without it.
   */
  groupAttrOmitted?: boolean;
}

const attributeList = (
  value: ReturnType<typeof plainObject>[string] | undefined,
): { key: string; value?: string }[] | undefined => {
  if (!Array.isArray(value)) return undefined;
  return listOf(value).flatMap((entry) => {
    const { key, value: attributeValue } = objectOf(entry);
    const keyText = textOf(key);
    const valueText = textOf(attributeValue);
    if (keyText === undefined) return [];
    return [valueText === undefined ? { key: keyText } : { key: keyText, value: valueText }];
  });
};

/** Reads a recorded event item; undefined for any other item of the table (the state item, an UNTIMED# claim). */
export const stateMergeInputFromItem = (item: ItemImage | undefined): StateMergeInput | undefined => {
  if (item === undefined) return undefined;
  const plain = plainObject(item);
  const sortKey = textOf(plain.sk);
  const groupId = textOf(plain.groupId);
  const command = textOf(plain.command);
  const deliveryId = textOf(plain.deliveryId);
  const eventTime = numberOf(plain.eventTime);
  if (!sortKey?.startsWith(EVENT_SORT_KEY_PREFIX) || groupId === undefined || command === undefined) return undefined;
  if (deliveryId === undefined || eventTime === undefined || !Number.isSafeInteger(eventTime)) return undefined;
  return {
    groupId,
    command,
    eventTime,
    deliveryId,
    sortKey,
    groupType: textOf(plain.groupType),
    ownerAccount: textOf(plain.ownerAccount),
    groupName: textOf(plain.groupName),
    optionType: textOf(plain.optionType),
    groupAttr: attributeList(plain.groupAttr),
    topicId: textOf(plain.topicId),
    ...(listOf(plain.typedFieldsOmitted).includes('groupAttr') ? { groupAttrOmitted: true } : {}),
  };
};

/**
 * A group's current state, derived from its recorded events. `mergeGroupEvent` is a pure merge that gives
 * the same state whatever order the events arrive in and however often each arrives: the state of an
 * in-order replay (order = the event sort key: EventTime, then deliveryId). Updating costs the same for
 * the thousandth attribute change as for the first: the events are never re-read; instead the state keeps
 * which event last touched each field and attribute key (tombstones for deletes), the last set/clear, and
 * the sort keys of the newest events it folded. The one event it cannot place (older than all of those,
 * and not among them) is answered `replayNeeded`: the caller then replays the group's events.
 */
export interface GroupState {
  groupId: string;
  /** `Type` as sent, from the latest event that carried one. Null until one did. */
  type: string | null;
  /** `Name` and `Owner_Account` of the disband event (the only one of the three webhooks that sends them). */
  name: string | null;
  owner: string | null;
  /** A disband is final: no later or earlier event undoes it. */
  destroyed: boolean;
  /** EventTime of the (earliest) disband event. */
  destroyedAt: number | null;
  /** The latest group-full EventTime, and how many distinct group-full events were applied. */
  lastFullAt: number | null;
  fullCount: number;
  /** The current custom attributes. */
  attributes: Record<string, string>;
  /** The latest EventTime of any applied event. */
  lastEventTime: number;
  /** How many distinct events the state is the replay of. */
  eventCount: number;
  bookkeeping: GroupStateBookkeeping;
}

/** An attribute key's last change: its value, or a tombstone (`value` absent) left by `delete`. */
export interface AttributeChange {
  changedBy: string;
  value?: string;
}

/** What the merge keeps so that a late event cannot overwrite a later one. Values are event sort keys. */
export interface GroupStateBookkeeping {
  /** The event that last set each of `type`, `name`, `owner`. */
  fieldsChangedBy: Partial<Record<ReplacedField, string>>;
  /** The last change of each attribute key since the last reset; older changes are pruned (a reset hides them). */
  attributeChanges: Record<string, AttributeChange>;
  /** The latest `set` or `clear`: any change of an attribute older than it is invisible. */
  attributesResetBy: string | null;
  /**
   * The sort keys of the newest folded events, ascending, at most EVENT_KEY_MEMORY: an event among them is
   * a redelivery (nothing changes), one newer than the oldest of them is new. See EVENT_KEY_MEMORY.
   */
  latestEventKeys: string[];
}

type ReplacedField = 'type' | 'name' | 'owner';

/**
 * The custom-attribute operations of Group.CallbackAfterGroupAttrChanged (docs/tencent-protocol.md). Others change no
 * attribute.
 */
export const AttributeOption = { Set: 'set', Modify: 'modify', Delete: 'delete', Clear: 'clear' } as const;

/**
 * How many of the newest folded events' sort keys the state keeps. Counting (`eventCount`, `fullCount`) must
 * know whether an event was folded already; for any event newer than the oldest kept key the memory answers
 * exactly. An older one that is not in it (a delivery late by more than this many newer events, or a
 * redelivery that long after) cannot be placed: the merge answers `replayNeeded`. At least the stream's batch
 * size (`batchSize` in lib/groupState/streamEventSource.json, a test keeps it so), so a batch Lambda sends again is
 * recognised without a replay; each sort key takes 55 bytes of the state item.
 */
export const EVENT_KEY_MEMORY = 250;

/** What folding one event into a stored state gives. */
export type MergeResult =
  | { kind: 'merged'; state: GroupState }
  /** The event was folded already (its sort key is in the memory): nothing changes. */
  | { kind: 'duplicate' }
  /** Only a replay of the group's events can tell whether this event was folded (see EVENT_KEY_MEMORY). */
  | { kind: 'replayNeeded' };

/** The state as the read API and the CLI show it (no bookkeeping). */
export type GroupStateView = Omit<GroupState, 'bookkeeping'>;

export const groupStateView = ({ bookkeeping: _, ...view }: GroupState): GroupStateView => view;

export const emptyGroupState = (groupId: string, eventTime: number): GroupState => ({
  groupId,
  type: null,
  name: null,
  owner: null,
  destroyed: false,
  destroyedAt: null,
  lastFullAt: null,
  fullCount: 0,
  attributes: {},
  lastEventTime: eventTime,
  eventCount: 0,
  bookkeeping: { fieldsChangedBy: {}, attributeChanges: {}, attributesResetBy: null, latestEventKeys: [] },
});

const isLater = (sortKey: string, than: string | null | undefined): boolean => than == null || sortKey > than;
const maxOf = (a: number | null, b: number): number => (a === null ? b : Math.max(a, b));
const minOf = (a: number | null, b: number): number => (a === null ? b : Math.min(a, b));

/**
 * The listed attributes as one map, the last entry winning for a repeated key (as applying them in order
 * would). An empty key is ignored: DynamoDB cannot store it as a map key, and Tencent does not allow it.
 */
export const attributeListAsMap = (
  list: readonly { key: string; value?: string }[] | undefined,
): Map<string, string | undefined> =>
  new Map((list ?? []).filter(({ key }) => key !== '').map(({ key, value }) => [key, value]));

/** Visible attributes: the non-deleted keys changed no earlier than the last reset. Sorted by key. */
const visibleAttributes = (
  changes: ReadonlyMap<string, AttributeChange>,
  resetBy: string | null,
): Record<string, string> =>
  Object.fromEntries(
    [...changes.entries()]
      .filter(([, change]) => change.value !== undefined && (resetBy === null || change.changedBy >= resetBy))
      .map(([key, change]) => [key, change.value as string] as const)
      .sort(([a], [b]) => byCodeUnits(a, b)),
  );

const applyAttributeChange = (state: GroupState, event: StateMergeInput): GroupState => {
  const option = event.optionType;
  if (event.command !== GroupCommand.GroupAttrChanged) return state;
  if (
    option !== AttributeOption.Set &&
    option !== AttributeOption.Modify &&
    option !== AttributeOption.Delete &&
    option !== AttributeOption.Clear
  ) {
    return state;
  }
  const { attributeChanges, attributesResetBy } = state.bookkeeping;
  const resets = option === AttributeOption.Set || option === AttributeOption.Clear;
  const resetBy = resets && isLater(event.sortKey, attributesResetBy) ? event.sortKey : attributesResetBy;

  const changes = new Map(Object.entries(attributeChanges));
  if (option !== AttributeOption.Clear) {
    // A delete needs the keys only; a set or modify entry without a value is not an attribute (the reader notes it).
    const listed =
      option === AttributeOption.Delete
        ? event.groupAttr
        : event.groupAttr?.filter((entry) => entry.value !== undefined);
    for (const [key, value] of attributeListAsMap(listed)) {
      if (!isLater(event.sortKey, changes.get(key)?.changedBy)) continue;
      changes.set(
        key,
        option === AttributeOption.Delete || value === undefined
          ? { changedBy: event.sortKey }
          : { changedBy: event.sortKey, value },
      );
    }
  }
  // A change older than the last reset can never show again: pruning keeps the state small and canonical.
  for (const [key, change] of changes) if (resetBy !== null && change.changedBy < resetBy) changes.delete(key);

  return {
    ...state,
    attributes: visibleAttributes(changes, resetBy),
    bookkeeping: {
      ...state.bookkeeping,
      attributeChanges: Object.fromEntries([...changes.entries()].sort(([a], [b]) => byCodeUnits(a, b))),
      attributesResetBy: resetBy,
    },
  };
};

/** `type`, `name`, `owner`: each takes the value of the latest event that carried it. */
const applyReplacedFields = (state: GroupState, event: StateMergeInput): GroupState => {
  const carried: [ReplacedField, string | undefined][] = [
    ['type', event.groupType],
    ['name', event.groupName],
    ['owner', event.ownerAccount],
  ];
  let next = state;
  for (const [field, value] of carried) {
    if (value === undefined || !isLater(event.sortKey, next.bookkeeping.fieldsChangedBy[field])) continue;
    next = {
      ...next,
      [field]: value,
      bookkeeping: {
        ...next.bookkeeping,
        fieldsChangedBy: { ...next.bookkeeping.fieldsChangedBy, [field]: event.sortKey },
      },
    };
  }
  return next;
};

// A Community topic's full event is the topic's, not the group's.
const applyGroupFull = (state: GroupState, event: StateMergeInput): GroupState =>
  event.command === GroupCommand.GroupFull && event.topicId === undefined
    ? { ...state, lastFullAt: maxOf(state.lastFullAt, event.eventTime), fullCount: state.fullCount + 1 }
    : state;

const applyGroupDestroyed = (state: GroupState, event: StateMergeInput): GroupState =>
  event.command === GroupCommand.GroupDestroyed
    ? { ...state, destroyed: true, destroyedAt: minOf(state.destroyedAt, event.eventTime) }
    : state;

/** Where `sortKey` is, or would be inserted, in the ascending memory (a binary search: it may hold thousands). */
const positionInMemory = (keys: readonly string[], sortKey: string): number => {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((keys[middle] as string) < sortKey) low = middle + 1;
    else high = middle;
  }
  return low;
};

/** The memory with `sortKey` inserted at `position`, the oldest dropped beyond EVENT_KEY_MEMORY. */
const rememberEvent = (keys: readonly string[], sortKey: string, position: number): string[] => {
  const remembered = [...keys.slice(0, position), sortKey, ...keys.slice(position)];
  return remembered.length > EVENT_KEY_MEMORY ? remembered.slice(-EVENT_KEY_MEMORY) : remembered;
};

/** The merge: old state (undefined for a group never seen) + one recorded event → new state. Pure. */
export const mergeGroupEvent = (state: GroupState | undefined, event: StateMergeInput): MergeResult => {
  const base = state ?? emptyGroupState(event.groupId, event.eventTime);
  const remembered = base.bookkeeping.latestEventKeys;
  const position = positionInMemory(remembered, event.sortKey);
  if (remembered[position] === event.sortKey) return { kind: 'duplicate' };
  const oldestRemembered = remembered[0];
  // Events were forgotten when more were counted than are remembered: a state kept with another
  // EVENT_KEY_MEMORY then still answers exactly, so changing the memory needs no new MERGE_VERSION.
  const forgotSome = base.eventCount > remembered.length;
  if (forgotSome && oldestRemembered !== undefined && event.sortKey < oldestRemembered) {
    return { kind: 'replayNeeded' };
  }
  const counted: GroupState = {
    ...base,
    lastEventTime: Math.max(base.lastEventTime, event.eventTime),
    eventCount: base.eventCount + 1,
    bookkeeping: { ...base.bookkeeping, latestEventKeys: rememberEvent(remembered, event.sortKey, position) },
  };
  return {
    kind: 'merged',
    state: applyGroupDestroyed(
      applyGroupFull(applyAttributeChange(applyReplacedFields(counted, event), event), event),
      event,
    ),
  };
};

/**
 * The merge where it cannot be ambiguous: a redelivery leaves the state as it is. Throws for an event the
 * state cannot place (never in an in-order replay, where each event is newer than all before it).
 */
export const applyGroupEvent = (state: GroupState | undefined, event: StateMergeInput): GroupState => {
  const result = mergeGroupEvent(state, event);
  if (result.kind === 'merged') return result.state;
  if (result.kind === 'duplicate' && state !== undefined) return state;
  throw new Error(`event ${event.sortKey} cannot be merged into the state of ${event.groupId} without a replay`);
};

/** What folding several events of one group into its stored state gives. */
export type EventsMergeResult =
  | { kind: 'merged'; state: GroupState; folded: number }
  /** Every event was folded already: nothing changes. */
  | { kind: 'duplicate' }
  /** One of them cannot be placed without a replay of the group's events (see EVENT_KEY_MEMORY). */
  | { kind: 'replayNeeded' };

/**
 * The events of one group (a stream batch's), each folded exactly as mergeGroupEvent folds it, so the state is
 * the one a write per event would reach, and a stream batch of one group costs one write. They are folded
 * oldest first: the merge's result does not depend on the order, but its memory does, and a newer event folded
 * first could push out the key an older one of the same batch needs, forcing a replay.
 */
export const mergeGroupEvents = (
  state: GroupState | undefined,
  events: readonly StateMergeInput[],
): EventsMergeResult => {
  let current = state;
  let folded = 0;
  for (const event of inSortKeyOrder(events)) {
    const result = mergeGroupEvent(current, event);
    if (result.kind === 'replayNeeded') return result;
    if (result.kind === 'merged') {
      current = result.state;
      folded += 1;
    }
  }
  return current === undefined || folded === 0 ? { kind: 'duplicate' } : { kind: 'merged', state: current, folded };
};

/** The definition of a group's state: its distinct events folded in sort-key order. Undefined for none. */
export const replayGroupState = (events: readonly StateMergeInput[]): GroupState | undefined =>
  inSortKeyOrder(events).reduce<GroupState | undefined>((state, event) => applyGroupEvent(state, event), undefined);
