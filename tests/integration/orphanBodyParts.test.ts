import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  type GetItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNCOMMITTED_BODY_PART_LIFETIME_SECONDS } from '../../lib/eventStore/bodyPartExpiry.js';
import { dynamoBodyPartsCommitter } from '../../lib/eventStore/bodyPartsCommit.js';
import { bodyTextOf, dynamoBodyPartsReader } from '../../lib/eventStore/storedBody.js';
import { dynamoGroupStateStore } from '../../lib/groupState/store.js';
import { createGroupStateStreamHandler } from '../../lib/groupState/streamHandler.js';
import { createWebhookHandler } from '../../lib/webhook/handler.js';
import { LOCAL_CREDENTIALS } from '../../scripts/stack/dynamo/localDynamoClient.js';
import { deleteExpiredItems } from '../../scripts/stack/dynamo/timeToLive.js';
import { startStreamPoller } from '../../scripts/stack/stream/streamPoller.js';
import { commitUncommittedBodyParts } from '../../scripts/stack/stream/uncommittedBodyParts.js';
import { largeDisbandBody, largeDisbandEvent, membersForBytes } from '../../scripts/tools/largeDisbandBody.js';
import { describeOnEachEngine, TestEngine, useFreshTablePerTest } from '../support/dynaliteTable.js';
import { failFirstPutWhere } from '../support/failingWrites.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { testConfig } from '../support/testConfig.js';
import { testEventStore } from '../support/testEventStore.js';

type Item = Record<string, AttributeValue>;

const DAY_SECONDS = 86_400;

/** The first UpdateItem fails as DynamoDB throttling it would (nothing is sent). */
const failFirstUpdate = (client: DynamoDBClient): (() => void) => {
  let failed = false;
  const name = `failFirstUpdate-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (failed || context.commandName !== 'UpdateItemCommand') return next(args);
      failed = true;
      throw Object.assign(new Error('injected: throttled'), { name: 'ProvisionedThroughputExceededException' });
    },
    { step: 'initialize', name },
  );
  return () => void client.middlewareStack.remove(name);
};

/** The first GetItem answers "not there", as a read that ran just before another attempt's commit would have. */
const readFirstEventItemAsMissing = (client: DynamoDBClient): (() => void) => {
  let answered = false;
  const name = `readFirstEventItemAsMissing-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (answered || context.commandName !== 'GetItemCommand') return result;
      answered = true;
      return { ...result, output: { ...(result.output as GetItemCommandOutput), Item: undefined } };
    },
    { step: 'initialize', name },
  );
  return () => void client.middlewareStack.remove(name);
};
const WEEK_SECONDS = UNCOMMITTED_BODY_PART_LIFETIME_SECONDS;

/**
 * A crash between the part writes and the event item's commit leaves parts that nothing reads: they expire a week
 * after they were written and the table's TTL (here the local sweeper, deleteExpiredItems) deletes them. The parts
 * of a recorded event are committed by the stream's consumer (on dynalite, which has no stream, by the local sweeper's
 * stand-in) and live as long as their event.
 */
describeOnEachEngine('orphan body parts on %s', (engine) => {
  const table = useFreshTablePerTest(engine);
  const body = largeDisbandBody({ members: membersForBytes(4 * 1024 * 1024) });
  const OK = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 };

  /** The webhook as in AWS (no inline state), its store on `now`'s clock, with EVENT_RETENTION_DAYS if given. */
  const webhook = ({ now = Date.now, retentionDays }: { now?: () => number; retentionDays?: number } = {}) =>
    createWebhookHandler({
      config: testConfig({ tableName: table.tableName }),
      store: testEventStore({ client: table.client, tableName: table.tableName, now, retentionDays }),
    });
  const itemsOfKind = async () => {
    const items = await table.scan();
    const kind = (item: Item) => item.sk?.S?.split('#')[0];
    return {
      events: items.filter((item) => kind(item) === 'EVENT'),
      parts: items.filter((item) => kind(item) === 'BODYPART'),
    };
  };
  const expiriesOf = (items: Item[]) => [...new Set(items.map((item) => item.expiresAt?.N))];
  const sweepAt = (nowSeconds: number) => deleteExpiredItems(table.client, table.tableName, nowSeconds);
  const storedBody = async (event: Item | undefined) =>
    bodyTextOf(event ?? {}, dynamoBodyPartsReader(table.client, table.tableName));
  const crashBeforeTheEventItem = () => failFirstPutWhere(table.client, (input) => input.Item?.bodyParts !== undefined);
  /** One delivery of `rawBody` whose parts are written and whose event item is not. */
  const crashedAttempt = async (rawBody: string) => {
    const restore = crashBeforeTheEventItem();
    try {
      await invokeHandler(webhook(), largeDisbandEvent(rawBody));
    } finally {
      restore();
    }
  };

  /** The stream's consumer as the groupState function runs it, handed the event item's INSERT record. */
  const consumeInsertOf = async (event: Item | undefined) => {
    const record: DynamoDBRecord = {
      eventName: 'INSERT',
      dynamodb: { Keys: { pk: event?.pk, sk: event?.sk } as never, NewImage: event as never, SequenceNumber: '1' },
    };
    return createGroupStateStreamHandler({
      store: dynamoGroupStateStore({ client: table.client, tableName: table.tableName }),
      commitBodyParts: dynamoBodyPartsCommitter(table.client, table.tableName),
    })({ Records: [record] });
  };

  it('leaves parts that expire within a week of the crash and are gone once the sweep runs past that', async () => {
    // Prepare
    const restore = crashBeforeTheEventItem();
    const before = Math.floor(Date.now() / 1000);

    // Act
    let crashed: Awaited<ReturnType<typeof invokeHandler>>;
    try {
      crashed = await invokeHandler(webhook(), largeDisbandEvent(body));
    } finally {
      restore();
    }
    const after = Math.ceil(Date.now() / 1000);
    const orphans = await itemsOfKind();
    const [expiresAt] = expiriesOf(orphans.parts).map(Number);
    const deletedBeforeExpiry = await sweepAt((expiresAt ?? 0) - 1);
    const deletedAfterExpiry = await sweepAt((expiresAt ?? 0) + 1);

    // Assess
    expect(crashed.statusCode).toBe(500);
    expect(orphans.events).toEqual([]);
    expect(orphans.parts.length).toBeGreaterThanOrEqual(4);
    expect(orphans.parts.reduce((sum, part) => sum + (part.chunk?.B?.byteLength ?? 0), 0)).toBeGreaterThan(1_000_000);
    expect(expiriesOf(orphans.parts)).toHaveLength(1);
    expect(expiresAt).toBeGreaterThanOrEqual(before + WEEK_SECONDS);
    expect(expiresAt).toBeLessThanOrEqual(after + WEEK_SECONDS);
    expect(deletedBeforeExpiry).toBe(0);
    expect(deletedAfterExpiry).toBe(orphans.parts.length);
    expect(await table.scan()).toEqual([]);
  });

  it("commits a recorded event's parts through the stream's consumer: no expiry, they outlive the sweep", async () => {
    // Act
    const answer = await invokeHandler(webhook(), largeDisbandEvent(body));
    const written = await itemsOfKind();
    const consumed = await consumeInsertOf(written.events[0]);
    const committed = await itemsOfKind();
    const deleted = await sweepAt(Math.floor(Date.now() / 1000) + WEEK_SECONDS + 30 * DAY_SECONDS);

    // Assess
    expect(answer.envelope).toEqual(OK);
    expect(written.parts.every((part) => part.expiresAt !== undefined)).toBe(true);
    expect(consumed).toEqual({ batchItemFailures: [] });
    expect(committed.parts).toHaveLength(written.parts.length);
    expect(expiriesOf(committed.parts)).toEqual([undefined]);
    expect(deleted).toBe(0);
    expect(await storedBody((await itemsOfKind()).events[0])).toBe(body);
  });

  it("gives a recorded event's parts its own expiry with EVENT_RETENTION_DAYS", async () => {
    // Act
    await invokeHandler(webhook({ retentionDays: 30 }), largeDisbandEvent(body));
    const written = await itemsOfKind();
    await consumeInsertOf(written.events[0]);
    const committed = await itemsOfKind();
    const eventExpiresAt = Number(written.events[0]?.expiresAt?.N);

    // Assess
    expect(expiriesOf(written.parts).map(Number)[0]).toBeLessThan(eventExpiresAt);
    expect(expiriesOf(committed.parts)).toEqual([String(eventExpiresAt)]);
    expect(await sweepAt(eventExpiresAt - 1)).toBe(0);
    expect(await sweepAt(eventExpiresAt + 1)).toBe(1 + written.parts.length);
  });

  it('stores a whole body for a retry after the crashed attempt’s parts expired, before the TTL ran', async () => {
    // Prepare
    await crashedAttempt(body);
    const expiredAt = Number(expiriesOf((await itemsOfKind()).parts)[0]);
    const later = (expiredAt + DAY_SECONDS) * 1000;

    // Act: a retry a day after expiry, the parts still there (TTL not yet run), then the sweep
    const retry = await invokeHandler(webhook({ now: () => later }), largeDisbandEvent(body));
    const rewritten = await itemsOfKind();
    const deletedAtRetry = await sweepAt(later / 1000 + 1);

    // Assess
    expect(retry.envelope).toEqual(OK);
    expect(expiriesOf(rewritten.parts)).toEqual([String(later / 1000 + WEEK_SECONDS)]);
    expect(deletedAtRetry).toBe(0);
    expect(await storedBody(rewritten.events[0])).toBe(body);
  });

  it('recreates the parts for a retry after the sweep deleted the crashed attempt’s', async () => {
    // Prepare
    await crashedAttempt(body);
    const expiredAt = Number(expiriesOf((await itemsOfKind()).parts)[0]);
    await sweepAt(expiredAt + 1);
    expect(await table.scan()).toEqual([]);

    // Act
    const retry = await invokeHandler(webhook({ now: () => (expiredAt + 2) * 1000 }), largeDisbandEvent(body));

    // Assess
    expect(retry.envelope).toEqual(OK);
    expect(await storedBody((await itemsOfKind()).events[0])).toBe(body);
  });

  it('never puts committed parts an expiry back: a late attempt that read before the commit writes none', async () => {
    // Prepare: recorded and committed; the late attempt's read of the event item answers as before the commit
    await invokeHandler(webhook(), largeDisbandEvent(body));
    await consumeInsertOf((await itemsOfKind()).events[0]);
    const restore = readFirstEventItemAsMissing(table.client);

    // Act
    let late: Awaited<ReturnType<typeof invokeHandler>>;
    try {
      late = await invokeHandler(webhook(), largeDisbandEvent(body));
    } finally {
      restore();
    }

    // Assess
    expect(late.envelope).toEqual(OK);
    const { events, parts } = await itemsOfKind();
    expect(events).toHaveLength(1);
    expect(expiriesOf(parts)).toEqual([undefined]);
  });

  it('has Lambda retry the record when a commit fails for a while (throttled), and commits on the retry', async () => {
    // Prepare
    await invokeHandler(webhook(), largeDisbandEvent(body));
    const [event] = (await itemsOfKind()).events;
    const restore = failFirstUpdate(table.client);

    // Act
    let throttled: Awaited<ReturnType<typeof consumeInsertOf>>;
    try {
      throttled = await consumeInsertOf(event);
    } finally {
      restore();
    }
    const retried = await consumeInsertOf(event);

    // Assess
    expect(throttled).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }] });
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(expiriesOf((await itemsOfKind()).parts)).toEqual([undefined]);
  });

  it('does not write a part that is already gone when it commits, and names it', async () => {
    // Prepare
    await invokeHandler(webhook(), largeDisbandEvent(body));
    const { events, parts } = await itemsOfKind();
    await table.client.send(
      new DeleteItemCommand({ TableName: table.tableName, Key: { pk: parts[0]?.pk, sk: parts[0]?.sk } as never }),
    );

    // Act
    const commit = await dynamoBodyPartsCommitter(table.client, table.tableName)(events[0] ?? {});

    // Assess
    expect(commit).toEqual({ committed: parts.length - 1, missing: [parts[0]?.sk?.S] });
    expect((await itemsOfKind()).parts).toHaveLength(parts.length - 1);
    await expect(storedBody(events[0])).rejects.toThrow(/incomplete/);
  });

  it("commits without a stream the parts of recorded events that still expire (npm start's sweeper)", async () => {
    // Prepare: one recorded event, one crash of another group's event
    await invokeHandler(webhook(), largeDisbandEvent(body));
    const other = largeDisbandBody({ members: membersForBytes(4 * 1024 * 1024), groupId: '@TGS#_other' });
    await crashedAttempt(other);

    // Act
    const committedEvents = await commitUncommittedBodyParts(table.client, table.tableName);
    const again = await commitUncommittedBodyParts(table.client, table.tableName);
    const { events, parts } = await itemsOfKind();
    const deleted = await sweepAt(Math.floor(Date.now() / 1000) + WEEK_SECONDS + 1);

    // Assess
    expect([committedEvents, again]).toEqual([1, 0]);
    const ownParts = parts.filter((part) => part.sk?.S?.includes(events[0]?.deliveryId?.S ?? '-'));
    expect(expiriesOf(ownParts)).toEqual([undefined]);
    expect(deleted).toBe(parts.length - ownParts.length);
    expect(await storedBody(events[0])).toBe(body);
  });

  describe.skipIf(engine !== TestEngine.DynamodbLocal)("through the table's stream", () => {
    let streamsClient: DynamoDBStreamsClient;
    beforeAll(() => {
      streamsClient = new DynamoDBStreamsClient({
        endpoint: table.endpoint,
        region: 'local',
        credentials: LOCAL_CREDENTIALS,
      });
    });
    afterAll(() => streamsClient?.destroy());

    it('commits the parts of a new event, with the event source mapping’s filter', async () => {
      // Prepare
      const poller = startStreamPoller({
        client: table.client,
        streamsClient,
        tableName: table.tableName,
        idleMs: 50,
        invoke: createGroupStateStreamHandler({
          store: dynamoGroupStateStore({ client: table.client, tableName: table.tableName }),
          commitBodyParts: dynamoBodyPartsCommitter(table.client, table.tableName),
        }),
      });

      // Act
      try {
        await invokeHandler(webhook(), largeDisbandEvent(body));
        await poller.drained();
      } finally {
        await poller.stop();
      }

      // Assess
      const { events, parts } = await itemsOfKind();
      expect(parts.length).toBeGreaterThanOrEqual(4);
      expect(expiriesOf(parts)).toEqual([undefined]);
      expect(await sweepAt(Math.floor(Date.now() / 1000) + WEEK_SECONDS + 1)).toBe(0);
      expect(await storedBody(events[0])).toBe(body);
    }, 60_000);
  });
});
