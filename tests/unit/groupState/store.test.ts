import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../../lib/dynamo/errors.js';
import { eventSortKey } from '../../../lib/dynamo/tableKeys.js';
import type { StateMergeInput } from '../../../lib/groupState/fold.js';
import { applyGroupEvent, MERGE_VERSION } from '../../../lib/groupState/fold.js';
import { groupStateItem } from '../../../lib/groupState/stateItem.js';
import { dynamoGroupStateStore, GroupStateConflictError } from '../../../lib/groupState/store.js';
import { GroupCommand } from '../../../lib/tencent/commands.js';

const NOW = 1_763_800_000_000;
const DELIVERY = '0123456789abcdef0123456789abcdef';
const setEvent: StateMergeInput = {
  groupId: '@TGS#2J4SZEAEL',
  command: GroupCommand.GroupAttrChanged,
  eventTime: 1670574414123,
  deliveryId: DELIVERY,
  sortKey: eventSortKey(1670574414123, DELIVERY),
  groupType: 'Public',
  optionType: 'set',
  groupAttr: [{ key: 'key1', value: 'value1' }],
};
const fullEvent: StateMergeInput = {
  groupId: '@TGS#2J4SZEAEL',
  command: GroupCommand.GroupFull,
  eventTime: 1670574415000,
  deliveryId: 'f'.repeat(32),
  sortKey: eventSortKey(1670574415000, 'f'.repeat(32)),
};
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
/** The event item as the webhook recorded it (the fields the merge reads). */
const recordedItem = (event: StateMergeInput) => ({
  pk: { S: `GROUP#${event.groupId}` },
  sk: { S: event.sortKey },
  groupId: { S: event.groupId },
  command: { S: event.command },
  eventTime: { N: String(event.eventTime) },
  deliveryId: { S: event.deliveryId },
});
const KEY = { pk: { S: 'GROUP#@TGS#2J4SZEAEL' }, sk: { S: 'STATE' } };

describe('dynamoGroupStateStore', () => {
  const client = new DynamoDBClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const dynamo = mockClient(client);
  const store = dynamoGroupStateStore({ client, tableName: 'events', now: () => NOW, backoff: async () => {} });

  beforeEach(() => dynamo.reset());

  it('creates the first state with one consistent GetItem and one PutItem that must not overwrite', async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves({});
    dynamo.on(PutItemCommand).resolves({});

    // Act
    const result = await store.applyEvent(setEvent);

    // Assess
    expect(result).toBe('applied');
    expect(dynamo.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: 'events',
      Key: KEY,
      ConsistentRead: true,
    });
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: 'events',
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: {
        ...KEY,
        groupId: { S: '@TGS#2J4SZEAEL' },
        type: { S: 'Public' },
        name: { NULL: true },
        owner: { NULL: true },
        destroyed: { BOOL: false },
        destroyedAt: { NULL: true },
        lastFullAt: { NULL: true },
        fullCount: { N: '0' },
        attributes: { L: [{ M: { key: { S: 'key1' }, value: { S: 'value1' } } }] },
        lastEventTime: { N: '1670574414123' },
        eventCount: { N: '1' },
        version: { N: '1' },
        mergeVersion: { N: String(MERGE_VERSION) },
        updatedAt: { N: String(NOW) },
        fieldsChangedBy: { M: { type: { S: setEvent.sortKey } } },
        // The value is stored once, under attributes.
        attributeChanges: { L: [{ M: { key: { S: 'key1' }, changedBy: { S: setEvent.sortKey } } }] },
        attributesResetBy: { S: setEvent.sortKey },
        latestEventKeys: { L: [{ S: setEvent.sortKey }] },
      },
    });
  });

  it('updates an existing state only if its version is still the one read', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: groupStateItem(applyGroupEvent(undefined, setEvent), 7, NOW) });
    dynamo.on(PutItemCommand).resolves({});

    await store.applyEvent(fullEvent);

    const put = dynamo.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(put).toMatchObject({
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':version': { N: '7' } },
    });
    expect(put?.Item).toMatchObject({
      version: { N: '8' },
      fullCount: { N: '1' },
      eventCount: { N: '2' },
      latestEventKeys: { L: [{ S: setEvent.sortKey }, { S: fullEvent.sortKey }] },
    });
  });

  it('reads again and re-merges when another writer won the race', async () => {
    // Prepare: the first read sees no state; a concurrent writer creates it before our write.
    const theirs = groupStateItem(applyGroupEvent(undefined, setEvent), 1, NOW);
    dynamo.on(GetItemCommand).resolvesOnce({}).resolves({ Item: theirs });
    dynamo.on(PutItemCommand).rejectsOnce(conditionFailed()).resolves({});

    // Act
    await store.applyEvent(fullEvent);

    // Assess: the second write keeps their attributes and adds our full event
    const puts = dynamo.commandCalls(PutItemCommand).map((call) => call.args[0].input);
    expect(puts).toHaveLength(2);
    expect(puts[1]?.Item).toMatchObject({ version: { N: '2' }, fullCount: { N: '1' }, attributes: theirs.attributes });
  });

  it('writes nothing for an event already applied', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: groupStateItem(applyGroupEvent(undefined, fullEvent), 3, NOW) });
    await expect(store.applyEvent(fullEvent)).resolves.toBe('unchanged');
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it(
    'replays the group after replayAfterLostRaces lost races, and gives up with GroupStateConflictError after ' +
      'maxAttempts',
    async () => {
      // Prepare: every write loses; the table holds the event itself
      dynamo.on(GetItemCommand).resolves({});
      dynamo.on(QueryCommand).resolves({ Items: [recordedItem(fullEvent)] });
      dynamo.on(PutItemCommand).rejects(conditionFailed());
      const impatient = dynamoGroupStateStore({
        client,
        tableName: 'events',
        maxAttempts: 4,
        replayAfterLostRaces: 2,
        backoff: async () => {},
      });

      // Act
      const failure = impatient.applyEvent(fullEvent);

      // Assess: two merges, then two replays (a consistent Query of the group's events each), four writes
      await expect(failure).rejects.toBeInstanceOf(GroupStateConflictError);
      expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(4);
      expect(dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input)).toEqual([
        expect.objectContaining({
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :events)',
          ConsistentRead: true,
        }),
        expect.objectContaining({ ConsistentRead: true }),
      ]);
    },
  );

  it('replays, and does not merge, a state written by another merge version', async () => {
    // Prepare: a version-1 item (no mergeVersion) that counted the event already
    const { mergeVersion: _, ...oldItem } = groupStateItem(applyGroupEvent(undefined, fullEvent), 5, NOW);
    dynamo.on(GetItemCommand).resolves({ Item: oldItem });
    dynamo.on(QueryCommand).resolves({ Items: [recordedItem(fullEvent)] });
    dynamo.on(PutItemCommand).resolves({});

    // Act
    const result = await store.applyEvent(fullEvent);

    // Assess
    expect(result).toBe('applied');
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input.Item).toMatchObject({
      version: { N: '6' },
      mergeVersion: { N: String(MERGE_VERSION) },
      fullCount: { N: '1' },
    });
  });

  it('wraps any other DynamoDB error in StoreError, keeping the cause', async () => {
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    dynamo.on(GetItemCommand).rejects(throttled);
    const failure = await store.applyEvent(fullEvent).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).cause).toBe(throttled);
  });
});
