import type { DynamoDBRecord } from 'aws-lambda';
import { type ItemImage, plainValue, textOf } from '../dynamo/attributeValue.js';
import { EVENT_SORT_KEY_PREFIX } from '../dynamo/tableKeys.js';
import type { BodyPartsCommitter } from '../eventStore/bodyPartsCommit.js';
import { describeError, writeLog } from '../log.js';

/** A new event item of a stream batch whose body is stored in parts, and where its record sits in the batch. */
interface InsertedEventWithParts {
  image: ItemImage;
  position: number;
  sequenceNumber: string;
}

const insertedEventsWithParts = (records: readonly DynamoDBRecord[]): InsertedEventWithParts[] =>
  records.flatMap((record, position) => {
    const image = record.dynamodb?.NewImage as ItemImage | undefined;
    const isEvent = textOf(plainValue(image?.sk))?.startsWith(EVENT_SORT_KEY_PREFIX) === true;
    return record.eventName === 'INSERT' && isEvent && image?.bodyParts !== undefined
      ? [{ image, position, sequenceNumber: record.dynamodb?.SequenceNumber ?? '' }]
      : [];
  });

/** The earliest record of a batch whose commit must be retried, by its position and sequence number. */
export interface RetryFrom {
  position: number;
  itemIdentifier: string;
}

/**
 * Commits the body parts of the batch's new event items (lib/eventStore/bodyPartExpiry.ts), one event after another.
 * A part already gone is logged (ERROR: that event's body can no longer be read), not retried. A failure that passes
 * with time is retried from its record; one that never can is logged with the repair. Returns where Lambda must
 * retry from, if anywhere.
 */
export const commitInsertedBodyParts = async (
  records: readonly DynamoDBRecord[],
  commit: BodyPartsCommitter,
  isPermanentFailure: (error: unknown) => boolean,
): Promise<RetryFrom | undefined> => {
  for (const { image, position, sequenceNumber } of insertedEventsWithParts(records)) {
    const groupId = textOf(plainValue(image.groupId)) ?? '';
    const where = { groupId, sortKey: textOf(plainValue(image.sk)) };
    try {
      const { missing } = await commit(image);
      if (missing.length > 0) writeLog('ERROR', 'bodyParts', { outcome: 'missing', ...where, missing });
    } catch (error) {
      const permanent = isPermanentFailure(error);
      writeLog('ERROR', 'bodyParts', {
        outcome: permanent ? 'skipped' : 'failed',
        ...where,
        sequenceNumber,
        detail: describeError(error),
        ...(permanent ? { repair: `npm run rebuild-state -- --stage <stage> '${groupId}'` } : {}),
      });
      if (!permanent) return { position, itemIdentifier: sequenceNumber };
    }
  }
  return undefined;
};
