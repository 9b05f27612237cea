import type { DynamoDBRecord } from 'aws-lambda';
import type { StateMergeInput } from './mergeInput.js';

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
    else groups.set(event.groupId, { groupId: event.groupId, events: [event], firstPosition: position, firstSequenceNumber: record.dynamodb?.SequenceNumber ?? '' });
  });
  return [...groups.values()];
};
