import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ItemImage } from '../dynamo/attributeValue.js';
import { StoreError } from '../dynamo/errors.js';
import type { BodyPartsCommitter } from '../eventStore/bodyPartsCommit.js';
import { describeError, writeLog } from '../log.js';
import { type StateMergeInput, stateMergeInputFromItem } from './fold.js';
import { GroupStateConflictError, type GroupStateStore } from './store.js';
import { commitInsertedBodyParts, type RetryFrom } from './streamBodyParts.js';

/** One group's events of a stream batch, in stream order, and where its first record sits in the batch. */
export interface GroupRecords {
  groupId: string;
  events: StateMergeInput[];
  /** Index of the group's first record in the batch: the earliest failed group is the one Lambda retries from. */
  firstPosition: number;
  firstSequenceNumber: string;
}

/**
 * A stream batch's records gathered per group, groups in the order of their first record. Records that
 * `eventOf` does not read as an event (not an event item's INSERT) are left out.
 */
export const recordsByGroup = (
  records: readonly DynamoDBRecord[],
  eventOf: (record: DynamoDBRecord) => StateMergeInput | undefined,
): GroupRecords[] => {
  const groups = new Map<string, GroupRecords>();
  records.forEach((record, position) => {
    const event = eventOf(record);
    if (event === undefined) return;
    const group = groups.get(event.groupId);
    if (group !== undefined) group.events.push(event);
    else
      groups.set(event.groupId, {
        groupId: event.groupId,
        events: [event],
        firstPosition: position,
        firstSequenceNumber: record.dynamodb?.SequenceNumber ?? '',
      });
  });
  return [...groups.values()];
};

/** DynamoDB refusals that the same request meets again on every retry. */
const REFUSED_REQUEST_NAMES: ReadonlySet<string> = new Set([
  'ValidationException',
  'SerializationException',
  'ItemCollectionSizeLimitExceededException',
]);

/**
 * True for a state update that no retry can make succeed: DynamoDB refused the request itself, or the code
 * threw something that is not a storage failure (a bug meets the same record the same way). Throttling,
 * timeouts and lost races pass with time.
 */
export const isPermanentFailure = (error: unknown): boolean => {
  if (error instanceof GroupStateConflictError) return false;
  if (!(error instanceof StoreError)) return true;
  const cause = error.cause;
  return cause instanceof Error && REFUSED_REQUEST_NAMES.has(cause.name);
};

export type GroupStateStreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/** Groups of one batch updated at the same time: each is one read and one write (a replay at worst). */
export const GROUPS_IN_PARALLEL = 8;

/** Only new event items change a state; the event source mapping's filter already drops the rest. */
const insertedEvent = (record: DynamoDBRecord) =>
  record.eventName === 'INSERT'
    ? stateMergeInputFromItem(record.dynamodb?.NewImage as ItemImage | undefined)
    : undefined;

const GroupOutcome = {
  Applied: 'applied',
  Unchanged: 'unchanged',
  Replayed: 'replayed',
  Skipped: 'skipped',
  Retry: 'retry',
} as const;
type GroupOutcomeName = (typeof GroupOutcome)[keyof typeof GroupOutcome];

/**
 * One group's records of the batch: fold them with one read and one write; if that fails, replay the whole
 * group (its events are recorded, so one replay covers all of them). If the replay fails too, a failure that
 * passes with time (throttling, a lost race) is retried by Lambda; one that never can (DynamoDB refuses the
 * request, a bug) is logged with the group ID and skipped, so it does not hold up its shard:
 * `npm run rebuild-state -- --stage <stage> <groupId>`.
 */
const applyGroup = async (
  store: GroupStateStore,
  groupId: string,
  events: readonly StateMergeInput[],
  sequenceNumber: string,
): Promise<GroupOutcomeName> => {
  const where = { groupId, records: events.length, sequenceNumber };
  try {
    return (await store.applyEvents(groupId, events)) === 'applied' ? GroupOutcome.Applied : GroupOutcome.Unchanged;
  } catch (mergeError) {
    try {
      const replay = await store.rebuildGroup(groupId);
      writeLog('WARN', 'groupState', {
        outcome: 'replayed',
        ...where,
        replay: replay.outcome,
        detail: describeError(mergeError),
      });
      return GroupOutcome.Replayed;
    } catch (replayError) {
      const permanent = isPermanentFailure(replayError);
      writeLog('ERROR', 'groupState', {
        outcome: permanent ? 'skipped' : 'failed',
        ...where,
        detail: describeError(replayError),
        ...(permanent ? { repair: `npm run rebuild-state -- --stage <stage> '${groupId}'` } : {}),
      });
      return permanent ? GroupOutcome.Skipped : GroupOutcome.Retry;
    }
  }
};

/** Runs `work` on each item, at most `limit` at a time. */
const eachAtMost = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) await work(items[index] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};

const earlier = (first: RetryFrom | undefined, second: RetryFrom | undefined): RetryFrom | undefined =>
  first === undefined || (second !== undefined && second.position < first.position) ? second : first;

/**
 * The table's stream → group state items, and the commit of each new event's body parts. The batch's records are
 * gathered per group and each group's are folded at once (oldest first, mergeGroupEvents), up to
 * GROUPS_IN_PARALLEL groups at a time; meanwhile the parts of the new events stored in parts are committed
 * (commitInsertedBodyParts). A group or a commit that must be retried is reported by its first record of the batch,
 * the earliest of them when several failed (ReportBatchItemFailures), so Lambda retries from there. Applying and
 * committing are idempotent, so the records after it that Lambda sends again, other groups' included, are harmless
 * duplicates.
 */
export const createGroupStateStreamHandler = ({
  store,
  commitBodyParts,
  groupsInParallel = GROUPS_IN_PARALLEL,
}: {
  store: GroupStateStore;
  /** Default: none, and the parts keep their expiry (functions/groupState.ts always gives one). */
  commitBodyParts?: BodyPartsCommitter | undefined;
  groupsInParallel?: number;
}): GroupStateStreamHandler =>
  async function handleGroupStateStream(event) {
    const groups = recordsByGroup(event.Records, insertedEvent);
    const tally = new Map<GroupOutcomeName, number>();
    let earliestRetry: RetryFrom | undefined;
    const [, partsRetry] = await Promise.all([
      eachAtMost(groups, groupsInParallel, async ({ groupId, events, firstPosition, firstSequenceNumber }) => {
        const outcome = await applyGroup(store, groupId, events, firstSequenceNumber);
        tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
        if (outcome === GroupOutcome.Retry) {
          earliestRetry = earlier(earliestRetry, { position: firstPosition, itemIdentifier: firstSequenceNumber });
        }
      }),
      commitBodyParts && commitInsertedBodyParts(event.Records, commitBodyParts, isPermanentFailure),
    ]);
    earliestRetry = earlier(earliestRetry, partsRetry);
    writeLog('INFO', 'groupState', {
      outcome: 'batch',
      records: event.Records.length,
      groups: groups.length,
      ...Object.fromEntries(tally),
    });
    return { batchItemFailures: earliestRetry === undefined ? [] : [{ itemIdentifier: earliestRetry.itemIdentifier }] };
  };
