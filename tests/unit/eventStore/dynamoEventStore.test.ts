import { randomBytes } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../../lib/dynamo/errors.js';
import { dynamoEventStore } from '../../../lib/eventStore/dynamoEventStore.js';
import type { ValidatedGroupEvent } from '../../../lib/tencent/delivery.js';

const event = (overrides: Partial<ValidatedGroupEvent> = {}): ValidatedGroupEvent => ({
  deliveryId: '0123456789abcdef0123456789abcdef',
  sdkAppId: '1400000001',
  command: 'Group.CallbackAfterGroupDestroyed',
  groupId: '@TGS#2J4SZEAEL',
  eventTime: 1670574414123,
  receivedAt: 1_763_800_000_000,
  clientIp: '127.0.0.1',
  optPlatform: undefined,
  rawBody: '{"GroupId":"@TGS#2J4SZEAEL"}',
  fields: { groupType: 'Public', memberAccounts: ['leckie', 'bob'] },
  shapeNotes: [],
  ...overrides,
});

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

describe('dynamoEventStore', () => {
  const client = new DynamoDBClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const dynamo = mockClient(client);
  const store = dynamoEventStore({ client, tableName: 'events' });

  beforeEach(() => dynamo.reset());

  it('writes one conditional PutItem with the documented item', async () => {
    // Prepare
    dynamo.on(PutItemCommand).resolves({});

    // Act
    const result = await store.recordEvent(event());

    // Assess
    expect(result).toBe('recorded');
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(1);
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: 'events',
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: {
        pk: { S: 'GROUP#@TGS#2J4SZEAEL' },
        sk: { S: 'EVENT#001670574414123#0123456789abcdef0123456789abcdef' },
        groupId: { S: '@TGS#2J4SZEAEL' },
        command: { S: 'Group.CallbackAfterGroupDestroyed' },
        eventTime: { N: '1670574414123' },
        eventTimeSource: { S: 'tencent' },
        deliveryId: { S: '0123456789abcdef0123456789abcdef' },
        sdkAppId: { S: '1400000001' },
        clientIp: { S: '127.0.0.1' },
        optPlatform: { NULL: true },
        receivedAt: { N: '1763800000000' },
        body: { S: '{"GroupId":"@TGS#2J4SZEAEL"}' },
        groupType: { S: 'Public' },
        memberAccounts: { L: [{ S: 'leckie' }, { S: 'bob' }] },
      },
    });
  });

  it(
    'reads whether a large event is stored, then writes its part items with a week to live unless a part with a ' +
      'later expiry or none is there, and the event item last, conditionally',
    async () => {
      // Prepare
      dynamo.on(GetItemCommand).resolves({});
      dynamo.on(PutItemCommand).resolves({});
      const rawBody = randomBytes(600_000).toString('hex');
      const writtenAt = 1_763_900_000_000;

      // Act
      await dynamoEventStore({ client, tableName: 'events', now: () => writtenAt }).recordEvent(event({ rawBody }));

      // Assess
      const puts = dynamo.commandCalls(PutItemCommand).map((call) => call.args[0].input);
      expect(dynamo.commandCalls(GetItemCommand).map((call) => call.args[0].input)).toEqual([
        {
          TableName: 'events',
          Key: puts.at(-1)?.Item && { pk: puts.at(-1)?.Item?.pk, sk: puts.at(-1)?.Item?.sk },
          ConsistentRead: true,
          ProjectionExpression: 'pk',
        },
      ]);
      expect(puts.length).toBeGreaterThan(2);
      const weekLater = { N: String(1_763_900_000 + 7 * 86_400) };
      for (const put of puts.slice(0, -1)) {
        expect(put).toMatchObject({
          Item: { sk: { S: expect.stringMatching(/^BODYPART#/) }, expiresAt: weekLater },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :expiresAt',
          ExpressionAttributeValues: { ':expiresAt': weekLater },
        });
      }
      expect(puts.at(-1)).toMatchObject({
        ConditionExpression: 'attribute_not_exists(pk)',
        Item: { bodyParts: { N: String(puts.length - 1) } },
      });
      expect(puts.at(-1)?.Item).not.toHaveProperty('expiresAt');
    },
  );

  it('writes nothing for a large event already stored (a retry), and reports a duplicate', async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves({ Item: { pk: { S: 'GROUP#@TGS#2J4SZEAEL' } } });

    // Act
    const result = await store.recordEvent(event({ rawBody: randomBytes(600_000).toString('hex') }));

    // Assess
    expect(result).toBe('duplicate');
    expect(dynamo.commandCalls(PutItemCommand)).toEqual([]);
  });

  it('counts a part as written when the copy there has a later expiry or none (an earlier commit)', async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves({});
    dynamo.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
      if (input.Item?.sk?.S?.startsWith('BODYPART#')) throw conditionFailed();
      return {};
    });

    // Act
    const result = await store.recordEvent(event({ rawBody: randomBytes(600_000).toString('hex') }));

    // Assess
    expect(result).toBe('recorded');
  });

  it("gives the parts the event's own expiry when it comes before the week", async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves({});
    dynamo.on(PutItemCommand).resolves({});

    // Act
    await dynamoEventStore({ client, tableName: 'events', retentionDays: 2, now: () => 1_763_800_000_000 }).recordEvent(
      event({ rawBody: randomBytes(600_000).toString('hex') }),
    );

    // Assess
    const expiries = dynamo.commandCalls(PutItemCommand).map((call) => call.args[0].input.Item?.expiresAt?.N);
    expect(new Set(expiries)).toEqual(new Set([String(1_763_800_000 + 2 * 86_400)]));
  });

  it('sets expiresAt when a retention is configured', async () => {
    dynamo.on(PutItemCommand).resolves({});
    await dynamoEventStore({ client, tableName: 'events', retentionDays: 30 }).recordEvent(event());
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input.Item?.expiresAt).toEqual({
      N: String(1_763_800_000 + 30 * 86_400),
    });
  });

  it('reports a failed condition as a duplicate', async () => {
    dynamo.on(PutItemCommand).rejects(conditionFailed());
    await expect(store.recordEvent(event())).resolves.toBe('duplicate');
  });

  it('wraps any other DynamoDB error in StoreError, keeping the cause', async () => {
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    dynamo.on(PutItemCommand).rejects(throttled);
    const failure = await store.recordEvent(event()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).cause).toBe(throttled);
  });

  describe('an event without EventTime', () => {
    it('claims the receive time, then writes the event under it', async () => {
      dynamo.on(PutItemCommand).resolves({});
      await expect(store.recordEvent(event({ eventTime: undefined }))).resolves.toBe('recorded');
      const puts = dynamo.commandCalls(PutItemCommand).map((call) => call.args[0].input);
      expect(puts).toHaveLength(2);
      expect(puts[0]).toEqual({
        TableName: 'events',
        ConditionExpression: 'attribute_not_exists(pk)',
        Item: {
          pk: { S: 'GROUP#@TGS#2J4SZEAEL' },
          sk: { S: 'UNTIMED#0123456789abcdef0123456789abcdef' },
          deliveryId: { S: '0123456789abcdef0123456789abcdef' },
          eventTime: { N: '1763800000000' },
        },
      });
      expect(puts[1]?.Item).toMatchObject({
        sk: { S: 'EVENT#001763800000000#0123456789abcdef0123456789abcdef' },
        eventTime: { N: '1763800000000' },
        eventTimeSource: { S: 'received' },
      });
    });

    it('reuses the first receive time on a retry', async () => {
      dynamo.on(PutItemCommand).callsFake(async (input: { Item: { sk: { S: string } } }) => {
        if (input.Item.sk.S.startsWith('UNTIMED#')) throw conditionFailed();
        return {};
      });
      dynamo.on(GetItemCommand).resolves({ Item: { eventTime: { N: '1763700000000' } } });

      await store.recordEvent(event({ eventTime: undefined, receivedAt: 1_763_800_123_000 }));

      expect(dynamo.commandCalls(GetItemCommand)[0]?.args[0].input.ConsistentRead).toBe(true);
      const eventPut = dynamo.commandCalls(PutItemCommand).at(-1)?.args[0].input;
      expect(eventPut?.Item?.sk).toEqual({ S: 'EVENT#001763700000000#0123456789abcdef0123456789abcdef' });
      expect(eventPut?.Item?.receivedAt).toEqual({ N: '1763800123000' });
    });
  });
});
