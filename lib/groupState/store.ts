import { type AttributeValue, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { waitUpTo } from '../backoff.js';
import { isConditionFailure, StoreError } from '../dynamo/errors.js';
import { queryAllItems } from '../dynamo/queryAllItems.js';
import { EVENT_SORT_KEY_PREFIX, groupPartitionKey } from '../dynamo/tableKeys.js';
import { bodyTextOf, dynamoBodyPartsReader } from '../eventStore/storedBody.js';
import { groupAttrOfBody } from '../tencent/groupAttrChanged.js';
import { isJsonObject } from '../tencent/payload.js';
import {
  type GroupStateView,
  groupStateView,
  mergeGroupEvents,
  replayGroupState,
  type StateMergeInput,
  stateMergeInputFromItem,
} from './fold.js';
import {
  groupStateFromItem,
  groupStateItem,
  groupStateKey,
  isMergeable,
  type StoredGroupState,
  sameStateContent,
} from './stateItem.js';

/**
 * The group state store: reads a group's state item and its events, and writes the fold's result with optimistic
 * concurrency (no transactions: dynalite has none). Folding a few new events and replaying them all are two ways
 * to the same state.
 */

/** Other writers kept updating the same group between our read and our conditional write, attempt after attempt. */
export class GroupStateConflictError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'GroupStateConflictError';
  }
}

/** Waits a random 0–(20 × 2^attempt) ms, at most 1.28 s, so writers contending for one group spread out. */
const jitteredBackoff = (attempt: number): Promise<void> => waitUpTo(20 * 2 ** Math.min(attempt, 6));

/** The group's state item, read consistently; undefined when there is none. */
export const readStoredState = async (
  client: DynamoDBClient,
  tableName: string,
  groupId: string,
): Promise<StoredGroupState | undefined> => {
  try {
    const read = await client.send(
      new GetItemCommand({ TableName: tableName, Key: groupStateKey(groupId), ConsistentRead: true }),
    );
    return read.Item === undefined ? undefined : groupStateFromItem(read.Item);
  } catch (error) {
    throw new StoreError('DynamoDB GetItem of the group state failed', { cause: error });
  }
};

/**
 * Writes a state item only if the stored one still has the version read (`attribute_not_exists(pk)` when
 * there was none). False when another writer came first: the caller reads again.
 */
export const putStateIfVersion = async (
  client: DynamoDBClient,
  tableName: string,
  item: Record<string, AttributeValue>,
  readVersion: number | undefined,
): Promise<boolean> => {
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: item,
        ...(readVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: '#version = :version',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':version': { N: String(readVersion) } },
            }),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw new StoreError('DynamoDB PutItem of the group state failed', { cause: error });
  }
};

/** Only what the merge reads: the body stays in the table. */
const MERGED_ATTRIBUTES = [
  'sk',
  'groupId',
  'command',
  'eventTime',
  'deliveryId',
  'groupType',
  'ownerAccount',
  'groupName',
  'optionType',
  'groupAttr',
  'topicId',
  'typedFieldsOmitted',
];

/**
 * The event with the `groupAttr` its item had no room for, read from its stored body (compressed on the item, or
 * in part items) with the same reader as at receipt. A body that cannot be read is a StoreError: the update is
 * retried, as for any storage failure, and never folds the event without its attributes.
 */
const withStoredGroupAttr = async (
  client: DynamoDBClient,
  tableName: string,
  event: StateMergeInput,
): Promise<StateMergeInput> => {
  if (event.groupAttrOmitted !== true) return event;
  const key = { pk: { S: groupPartitionKey(event.groupId) }, sk: { S: event.sortKey } };
  let item: Record<string, AttributeValue> | undefined;
  try {
    item = (await client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  } catch (error) {
    throw new StoreError('DynamoDB GetItem of an event body failed', { cause: error });
  }
  const body: unknown = item && JSON.parse(await bodyTextOf(item, dynamoBodyPartsReader(client, tableName)));
  if (!isJsonObject(body)) throw new StoreError(`the stored body of ${event.sortKey} is missing`);
  const { groupAttrOmitted: _, ...rest } = event;
  return { ...rest, groupAttr: groupAttrOfBody(body) };
};

/** Every event ready to fold: those whose item omitted their attributes get them from their bodies. */
const withStoredGroupAttrs = (
  client: DynamoDBClient,
  tableName: string,
  events: readonly StateMergeInput[],
): Promise<StateMergeInput[]> => Promise.all(events.map((event) => withStoredGroupAttr(client, tableName, event)));

/**
 * Every recorded event of a group, in sort-key order (the replay's order): `Query pk = GROUP#<id> AND
 * begins_with(sk, 'EVENT#')`, consistent, page after page (DynamoDB returns at most 1 MB a page).
 */
export const readGroupEvents = async (
  client: DynamoDBClient,
  tableName: string,
  groupId: string,
): Promise<StateMergeInput[]> => {
  const items = await queryAllItems(
    client,
    {
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :events)',
      ExpressionAttributeNames: {
        '#pk': 'pk',
        ...Object.fromEntries(MERGED_ATTRIBUTES.map((name) => [`#${name}`, name])),
      },
      ExpressionAttributeValues: { ':pk': { S: groupPartitionKey(groupId) }, ':events': { S: EVENT_SORT_KEY_PREFIX } },
      ProjectionExpression: MERGED_ATTRIBUTES.map((name) => `#${name}`).join(', '),
      ConsistentRead: true,
    },
    `the events of ${groupId}`,
  );
  const events = items.flatMap((item) => {
    const event = stateMergeInputFromItem(item);
    return event === undefined ? [] : [event];
  });
  return withStoredGroupAttrs(client, tableName, events);
};

export const RebuildOutcome = {
  /** The group had events and no state item. */
  Created: 'created',
  /** The state item differed from the replay (stale, corrupted, or written by another merge version). */
  Rebuilt: 'rebuilt',
  Unchanged: 'unchanged',
  /** No event recorded: a state item, if any, is left alone (its events may have expired). */
  NoEvents: 'no-events',
} as const;
export type RebuildOutcomeName = (typeof RebuildOutcome)[keyof typeof RebuildOutcome];

export interface RebuildResult {
  groupId: string;
  outcome: RebuildOutcomeName;
  /** The state before and after, as the read API shows it. */
  before: GroupStateView | undefined;
  after: GroupStateView | undefined;
  /** How many events were replayed. */
  events: number;
}

export interface RebuildOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Clock for `updatedAt`. Default: Date.now. */
  now?: () => number;
}

/**
 * One attempt: read the state item, replay all the group's events, and write the result if it differs,
 * conditional on the version read. 'conflict' when another writer came first (the caller reads again).
 */
export const replayIntoStore = async (
  { client, tableName, now = Date.now }: RebuildOptions,
  groupId: string,
): Promise<RebuildResult | 'conflict'> => {
  const stored = await readStoredState(client, tableName, groupId);
  const events = await readGroupEvents(client, tableName, groupId);
  const replayed = replayGroupState(events);
  const before = stored && groupStateView(stored.state);
  if (replayed === undefined) return { groupId, outcome: RebuildOutcome.NoEvents, before, after: before, events: 0 };
  const item = groupStateItem(replayed, (stored?.version ?? 0) + 1, now());
  const after = groupStateView(replayed);
  if (stored !== undefined && sameStateContent(stored.item, item)) {
    return { groupId, outcome: RebuildOutcome.Unchanged, before, after, events: events.length };
  }
  if (!(await putStateIfVersion(client, tableName, item, stored?.version))) return 'conflict';
  return {
    groupId,
    outcome: stored === undefined ? RebuildOutcome.Created : RebuildOutcome.Rebuilt,
    before,
    after,
    events: events.length,
  };
};

/**
 * Recomputes a group's state from its recorded events with the same merge, safe beside live updates
 * (every write is conditional on the version read) and idempotent (an equal state is not written again).
 */
export const rebuildGroupState = async (
  options: RebuildOptions & { maxAttempts?: number; backoff?: (attempt: number) => Promise<void> },
  groupId: string,
): Promise<RebuildResult> => {
  const { maxAttempts = 10, backoff = jitteredBackoff } = options;
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    if (attempt > 0) await backoff(attempt);
    const result = await replayIntoStore(options, groupId);
    if (result !== 'conflict') return result;
  }
  throw new GroupStateConflictError(`group state of ${groupId} still contended after ${maxAttempts} replays`);
};

export const ApplyResult = { Applied: 'applied', Unchanged: 'unchanged' } as const;
export type ApplyResultName = (typeof ApplyResult)[keyof typeof ApplyResult];

/** Folds recorded events into their group's state item. Safe to call again with the same events. */
export interface GroupStateStore {
  applyEvent(event: StateMergeInput): Promise<ApplyResultName>;
  /** Folds several recorded events of one group (in the order given) with one read and one write. */
  applyEvents(groupId: string, events: readonly StateMergeInput[]): Promise<ApplyResultName>;
  /** Replays all the group's recorded events into its state item (rebuildGroupState). */
  rebuildGroup(groupId: string): Promise<RebuildResult>;
}

export interface DynamoGroupStateStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Attempts when other writers updated the same group in between. Default: 12. */
  maxAttempts?: number;
  /** Lost races after which an attempt replays the group's events instead of merging its events. Default: 2. */
  replayAfterLostRaces?: number;
  /** Clock for `updatedAt`. Default: Date.now. */
  now?: () => number;
  /**
   * Waits between attempts. Default: a random 0–(20 × 2^attempt) ms, at most 1.28 s, so concurrent writers
   * spread out.
   */
  backoff?: (attempt: number) => Promise<void>;
}

/**
 * Optimistic concurrency, no transactions (dynalite has none): each attempt is one consistent GetItem and
 * one PutItem conditional on the version read (`attribute_not_exists(pk)` for a group's first state). A
 * writer that lost the race reads again and re-merges, so concurrent updates never lose each other.
 * Events already folded cost the read only. A stream batch's events of one group are folded together, so a
 * hot group costs one read and one write per batch, not per event.
 *
 * The events must be recorded already: where the merge cannot fold them (an item of another merge version or
 * without bookkeeping, an event older than the state remembers) and after `replayAfterLostRaces` lost races,
 * an attempt replays all the group's recorded events instead. One replay folds every event recorded so far,
 * so under heavy contention the writers that lose to it then find their event folded.
 */
export const dynamoGroupStateStore = ({
  client,
  tableName,
  maxAttempts = 12,
  replayAfterLostRaces = 2,
  now = Date.now,
  backoff = jitteredBackoff,
}: DynamoGroupStateStoreOptions): GroupStateStore => {
  const applyEvents = async (groupId: string, events: readonly StateMergeInput[]): Promise<ApplyResultName> => {
    const stranger = events.find((event) => event.groupId !== groupId);
    if (stranger !== undefined) throw new Error(`event of group ${stranger.groupId} given to fold into ${groupId}`);
    const foldable = await withStoredGroupAttrs(client, tableName, events);
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      if (attempt > 0) await backoff(attempt);
      const stored = await readStoredState(client, tableName, groupId);
      const merged =
        stored === undefined || isMergeable(stored)
          ? mergeGroupEvents(stored?.state, foldable)
          : { kind: 'replayNeeded' as const };
      if (merged.kind === 'duplicate') return ApplyResult.Unchanged;

      if (merged.kind === 'replayNeeded' || attempt >= replayAfterLostRaces) {
        const replayed = await replayIntoStore({ client, tableName, now }, groupId);
        if (replayed === 'conflict') continue;
        return replayed.outcome === RebuildOutcome.Created || replayed.outcome === RebuildOutcome.Rebuilt
          ? ApplyResult.Applied
          : ApplyResult.Unchanged;
      }
      const item = groupStateItem(merged.state, (stored?.version ?? 0) + 1, now());
      if (await putStateIfVersion(client, tableName, item, stored?.version)) return ApplyResult.Applied;
    }
    throw new GroupStateConflictError(`group state of ${groupId} still contended after ${maxAttempts} attempts`);
  };

  return {
    applyEvent: (event: StateMergeInput) => applyEvents(event.groupId, [event]),
    applyEvents,
    rebuildGroup: (groupId: string) => rebuildGroupState({ client, tableName, now, maxAttempts }, groupId),
  };
};
