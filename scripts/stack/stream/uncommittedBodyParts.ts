import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scanPages } from '../../../lib/dynamo/scanPages.js';
import { BODY_PART_SORT_KEY_PREFIX, EVENT_SORT_KEY_PREFIX } from '../../../lib/dynamo/tableKeys.js';
import {
  type BodyPartsCommitter,
  bodyPartKeysOf,
  dynamoBodyPartsCommitter,
} from '../../../lib/eventStore/bodyPartsCommit.js';

type Item = Record<string, AttributeValue>;

const partKey = (pk: string | undefined, sk: string | undefined): string => `${pk} ${sk}`;

/**
 * What the stream's consumer does in AWS (lib/groupState/streamBodyParts.ts), for the local engine without a stream
 * (dynalite): commits the parts of every recorded event whose parts do not all carry its expiry yet (or still carry
 * one where it has none). A paged Scan of keys and expiries; for the local table, never for AWS. Returns how many
 * events' parts it committed.
 */
export const commitUncommittedBodyParts = async (
  client: DynamoDBClient,
  tableName: string,
  commit: BodyPartsCommitter = dynamoBodyPartsCommitter(client, tableName),
): Promise<number> => {
  const events: Item[] = [];
  const partExpiries = new Map<string, string | undefined>();
  const pages = scanPages(client, {
    TableName: tableName,
    ProjectionExpression: 'pk, sk, deliveryId, bodyParts, bodyPartsDigest, expiresAt',
  });
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const sortKey = item.sk?.S ?? '';
      if (sortKey.startsWith(BODY_PART_SORT_KEY_PREFIX))
        partExpiries.set(partKey(item.pk?.S, sortKey), item.expiresAt?.N);
      else if (sortKey.startsWith(EVENT_SORT_KEY_PREFIX) && item.bodyParts !== undefined) events.push(item);
    }
  }
  const uncommitted = events.filter((event) =>
    bodyPartKeysOf(event).some((key) => {
      const part = partKey(key.pk.S, key.sk.S);
      return partExpiries.has(part) && partExpiries.get(part) !== event.expiresAt?.N;
    }),
  );
  for (const event of uncommitted) await commit(event);
  return uncommitted.length;
};
