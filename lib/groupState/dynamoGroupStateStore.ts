import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { StoreError, isConditionFailure } from '../dynamo/errors.js';
import { canonicalJson } from '../eventStore/deliveryId.js';
import { applyGroupEvent } from './merge.js';
import type { StateMergeInput } from './mergeInput.js';
import { groupStateFromItem, groupStateItem, groupStateKey } from './stateItem.js';

export const ApplyResult = { Applied: 'applied', Unchanged: 'unchanged' } as const;
export type ApplyResultName = (typeof ApplyResult)[keyof typeof ApplyResult];

/** Folds one recorded event into its group's state item. Safe to call again with the same event. */
export interface GroupStateStore {
  applyEvent(event: StateMergeInput): Promise<ApplyResultName>;
}

/** Other writers kept updating the same group between our read and our conditional write, attempt after attempt. */
export class GroupStateConflictError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'GroupStateConflictError';
  }
}

export interface DynamoGroupStateStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Attempts when another writer updated the same group in between. Default: 8. */
  maxAttempts?: number;
  /** Clock for `updatedAt`. Default: Date.now. */
  now?: () => number;
  /** Waits between attempts. Default: a random 0–(5 × 2^attempt) ms, so concurrent writers spread out. */
  backoff?: (attempt: number) => Promise<void>;
}

const jitteredBackoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));

/**
 * Optimistic concurrency, no transactions (dynalite has none): each attempt is one consistent GetItem and
 * one PutItem conditional on the version read (`attribute_not_exists(pk)` for a group's first state). A
 * writer that lost the race reads again and re-merges, so concurrent updates never lose each other.
 * An event that changes nothing (a redelivery) costs the read only.
 */
export const dynamoGroupStateStore = ({
  client,
  tableName,
  maxAttempts = 8,
  now = Date.now,
  backoff = jitteredBackoff,
}: DynamoGroupStateStoreOptions): GroupStateStore => ({
  async applyEvent(event: StateMergeInput): Promise<ApplyResultName> {
    const key = groupStateKey(event.groupId);
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      if (attempt > 0) await backoff(attempt);
      let read;
      try {
        read = await client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      } catch (error) {
        throw new StoreError('DynamoDB GetItem of the group state failed', { cause: error });
      }
      const stored = read.Item === undefined ? undefined : groupStateFromItem(read.Item);
      const next = applyGroupEvent(stored?.state, event);
      if (stored !== undefined && canonicalJson(next) === canonicalJson(stored.state)) return ApplyResult.Unchanged;

      const version = stored?.version ?? 0;
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: groupStateItem(next, version + 1, now()),
            ...(stored === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#version = :version',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':version': { N: String(version) } },
                }),
          }),
        );
        return ApplyResult.Applied;
      } catch (error) {
        if (!isConditionFailure(error)) {
          throw new StoreError('DynamoDB PutItem of the group state failed', { cause: error });
        }
      }
    }
    throw new GroupStateConflictError(`group state of ${event.groupId} still contended after ${maxAttempts} attempts`);
  },
});
