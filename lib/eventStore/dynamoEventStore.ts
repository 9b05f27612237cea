import { type AttributeValue, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DYNAMO_DEADLINE_MS } from '../dynamo/client.js';
import { DeadlineExceededError, withDeadline } from '../dynamo/deadline.js';
import { isConditionFailure, StoreError } from '../dynamo/errors.js';
import { groupPartitionKey, untimedDeliverySortKey } from '../dynamo/tableKeys.js';
import type { ValidatedGroupEvent } from '../tencent/delivery.js';
import { layOutEventItem } from './bodyLayout.js';
import { uncommittedBodyPartExpiresAt } from './bodyPartExpiry.js';
import { EventTimeSource, eventItem } from './eventItem.js';
import { type EventStore, RecordResult, type RecordResultName } from './types.js';

export interface DynamoEventStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /**
   * When set, items get `expiresAt` (epoch seconds) this many days after receipt, for the table's TTL. Default: kept
   * forever.
   */
  retentionDays?: number | undefined;
  /**
   * All writes for one event finish within this many ms or the event fails with StoreError. Default:
   * DYNAMO_DEADLINE_MS.
   */
  deadlineMs?: number;
  /**
   * Called with each event item once it is stored, and for a duplicate too (an earlier attempt's write may have
   * landed unseen, timed out, its state never updated): GROUP_STATE_UPDATES=inline. Default: none.
   */
  onRecorded?: ((item: Record<string, AttributeValue>) => Promise<void>) | undefined;
  /** Clock for the `expiresAt` of body parts (uncommittedBodyPartExpiresAt), in ms. Default: Date.now. */
  now?: () => number;
}

/**
 * One conditional PutItem per event (after the part items of a body too large for one item, if any):
 * `attribute_not_exists(pk)` on a sort key that includes the delivery's
 * digest, so a repeated delivery (even concurrent) fails the condition and counts as a duplicate.
 * No transactions: dynalite, the local DynamoDB, has none.
 */
export const dynamoEventStore = ({
  client,
  tableName,
  retentionDays,
  deadlineMs = DYNAMO_DEADLINE_MS,
  onRecorded,
  now = Date.now,
}: DynamoEventStoreOptions): EventStore => {
  const expiresAt = (receivedAt: number): number | undefined =>
    retentionDays === undefined ? undefined : Math.floor(receivedAt / 1000) + Math.round(retentionDays * 86_400);

  const expiryAttribute = (receivedAt: number): Record<string, AttributeValue> => {
    const at = expiresAt(receivedAt);
    return at === undefined ? {} : { expiresAt: { N: String(at) } };
  };

  const putIfAbsent = async (item: Record<string, AttributeValue>): Promise<boolean> => {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw new StoreError('DynamoDB PutItem failed', { cause: error });
    }
  };

  /**
   * Writes a part unless the same part is there with a later expiry or none: a committed part (its event's expiry, or
   * none) is never given back the shorter life of an uncommitted one by an attempt that lost the race to commit; an
   * uncommitted one left by a crash is written again with a new lifetime, so the retry that commits it has the week.
   */
  const putPart = async (part: Record<string, AttributeValue>): Promise<void> => {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: part,
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :expiresAt',
          ExpressionAttributeValues: { ':expiresAt': part.expiresAt as AttributeValue },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return;
      throw new StoreError('DynamoDB PutItem of a body part failed', { cause: error });
    }
  };

  const isStored = async (item: Record<string, AttributeValue>): Promise<boolean> => {
    const key = { pk: item.pk as AttributeValue, sk: item.sk as AttributeValue };
    try {
      const existing = await client.send(
        new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true, ProjectionExpression: 'pk' }),
      );
      return existing.Item !== undefined;
    } catch (error) {
      throw new StoreError('DynamoDB GetItem of a large event failed', { cause: error });
    }
  };

  /**
   * A delivery without EventTime is keyed by its first receive time. That time is claimed in its own
   * item first, so a retry (which arrives later) finds the claim and writes to the same sort key.
   * If we crash between the two writes, the retry completes the event: nothing is lost.
   */
  const claimedReceiveTime = async (event: ValidatedGroupEvent): Promise<number> => {
    const key = { pk: { S: groupPartitionKey(event.groupId) }, sk: { S: untimedDeliverySortKey(event.deliveryId) } };
    const claimed = await putIfAbsent({
      ...key,
      deliveryId: { S: event.deliveryId },
      eventTime: { N: String(event.receivedAt) },
      ...expiryAttribute(event.receivedAt),
    });
    if (claimed) return event.receivedAt;
    try {
      const existing = await client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      const time = Number(existing.Item?.eventTime?.N);
      return Number.isSafeInteger(time) ? time : event.receivedAt;
    } catch (error) {
      throw new StoreError('DynamoDB GetItem failed', { cause: error });
    }
  };

  const record = async (event: ValidatedGroupEvent) => {
    const [eventTime, source] =
      event.eventTime === undefined
        ? [await claimedReceiveTime(event), EventTimeSource.Received]
        : [event.eventTime, EventTimeSource.Tencent];
    const eventExpiresAt = expiresAt(event.receivedAt);
    const { item, parts } = layOutEventItem(eventItem(event, eventTime, source, eventExpiresAt), {
      receivedBytes: event.rawBodyBytes,
      partsExpiresAt: uncommittedBodyPartExpiresAt(now(), eventExpiresAt),
    });
    // A retry of a large body (Tencent's, the redrive's, a replay's) finds its event stored and writes nothing:
    // one read instead of up to 13 part writes of 350 KB.
    if (parts.length > 0 && (await isStored(item))) return { item, stored: false };
    // Parts first, the event item last: until its conditional put succeeds nothing reads the parts, and a retry
    // writes the same parts again (same keys, same bytes), so a crash in between is completed by the retry. Without
    // a retry they expire (lib/eventStore/bodyPartExpiry.ts); the stream's consumer commits those of a stored event.
    await Promise.all(parts.map(putPart));
    return { item, stored: await putIfAbsent(item) };
  };

  return {
    async recordEvent(event: ValidatedGroupEvent): Promise<RecordResultName> {
      let recorded: Awaited<ReturnType<typeof record>>;
      const recording = record(event);
      try {
        recorded = await withDeadline(deadlineMs, recording);
      } catch (error) {
        if (error instanceof DeadlineExceededError) {
          // The write may still land after the answer: its state update must follow it all the same.
          if (onRecorded) void recording.then(({ item }) => onRecorded(item)).catch(() => {});
          throw new StoreError(`DynamoDB did not answer within ${deadlineMs} ms`, { cause: error });
        }
        throw error;
      }
      if (onRecorded) await onRecorded(recorded.item);
      return recorded.stored ? RecordResult.Recorded : RecordResult.Duplicate;
    },
  };
};
