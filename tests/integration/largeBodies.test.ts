import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { dynamoGroupStateStore } from '../../lib/groupState/store.js';
import { createGroupStateStreamHandler } from '../../lib/groupState/streamHandler.js';
import { createGroupsApiHandler } from '../../lib/groupsApi/handler.js';
import { dynamoGroupReader, EVENTS_RESPONSE_BUDGET_BYTES } from '../../lib/groupsApi/reader.js';
import { largeDisbandBody, largeDisbandEvent, membersForBytes } from '../../scripts/tools/largeDisbandBody.js';
import { describeOnEachEngine, useFreshTablePerTest } from '../support/dynaliteTable.js';
import { failFirstPutWhere } from '../support/failingWrites.js';
import { groupEventsRequest } from '../support/groupsApiRequest.js';
import { inlineStateWebhook } from '../support/inlineStateWebhook.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { tencentEvent } from '../support/tencentRequest.js';

/**
 * Disbands of large groups, recorded whole across items, read back whole, never half-visible. On DynamoDB Local
 * too, whose validation is AWS's (an item over 400 KB is refused), unlike dynalite's.
 */
describeOnEachEngine('large bodies on %s', (engine) => {
  const table = useFreshTablePerTest(engine);
  const GROUP_ID = '@TGS#_large_disband';
  const OK = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 };

  const webhook = () => inlineStateWebhook(table.client, table.tableName);
  const eventsPage = async (query?: Record<string, string>) => {
    const response = await createGroupsApiHandler({
      reader: dynamoGroupReader({ client: table.client, tableName: table.tableName }),
    })(groupEventsRequest(GROUP_ID, query));
    expect(response.statusCode).toBe(200);
    expect(Buffer.byteLength(response.body)).toBeLessThan(6 * 1024 * 1024);
    return JSON.parse(response.body) as { events: Array<Record<string, unknown>>; nextCursor: string | null };
  };
  const itemsBySortKey = async () => {
    const items = await table.scan();
    const kind = (item: Record<string, AttributeValue>) => item.sk?.S?.split('#')[0];
    return {
      events: items.filter((item) => kind(item) === 'EVENT'),
      parts: items.filter((item) => kind(item) === 'BODYPART'),
      state: items.find((item) => item.sk?.S === 'STATE'),
    };
  };
  /** A part by its key and a digest of its bytes (comparing the bytes themselves element by element is slow). */
  const partSummary = (part: Record<string, AttributeValue>) => ({
    sk: part.sk?.S,
    chunk: createHash('sha256')
      .update(part.chunk?.B ?? new Uint8Array())
      .digest('hex'),
  });
  const FOUR_MIB = 4 * 1024 * 1024;

  describe('a 6,000-member disband (about 324 KB)', () => {
    it('is recorded once, in one item with the body compressed, and read back whole', async () => {
      // Prepare
      const body = largeDisbandBody({ members: 6_000 });

      // Act
      const answer = await invokeHandler(webhook(), largeDisbandEvent(body));
      const retry = await invokeHandler(webhook(), largeDisbandEvent(body));

      // Assess
      expect([answer.envelope, retry.envelope]).toEqual([OK, OK]);
      const { events, parts, state } = await itemsBySortKey();
      expect(events).toHaveLength(1);
      expect(parts).toEqual([]);
      expect(events[0]).toMatchObject({
        memberCount: { N: '6000' },
        bodyBytes: { N: String(Buffer.byteLength(body)) },
      });
      expect(gunzipSync(events[0]?.bodyGzip?.B ?? new Uint8Array()).toString('utf8')).toBe(body);
      expect(state).toMatchObject({ destroyed: { BOOL: true } });
      const page = await eventsPage();
      expect(page.events.map((event) => event.body)).toEqual([body]);
      expect(page.events[0]).not.toHaveProperty('bodyGzip');
    });
  });

  describe(`a disband of ${FOUR_MIB} bytes`, () => {
    const body = largeDisbandBody({ members: membersForBytes(FOUR_MIB) });

    it('is recorded once over part items, keeps its member count, and a retry stores nothing more', async () => {
      // Act
      const answer = await invokeHandler(webhook(), largeDisbandEvent(body));
      const afterFirst = await itemsBySortKey();
      const retry = await invokeHandler(webhook(), largeDisbandEvent(body));

      // Assess
      expect([answer.envelope, retry.envelope]).toEqual([OK, OK]);
      const { events, parts } = await itemsBySortKey();
      expect(events).toHaveLength(1);
      expect(parts.length).toBeGreaterThan(1);
      expect(parts.map(partSummary)).toEqual(afterFirst.parts.map(partSummary));
      expect(events[0]).toMatchObject({
        memberCount: { N: String(membersForBytes(FOUR_MIB)) },
        bodyParts: { N: String(parts.length) },
        typedFieldsOmitted: { L: [{ S: 'memberAccounts' }] },
        ownerAccount: expect.any(Object),
        operatorAccount: expect.any(Object),
      });
      expect(events[0]).not.toHaveProperty('memberAccounts');
      expect(events[0]).not.toHaveProperty('body');
      expect((await eventsPage()).events.map((event) => event.body)).toEqual([body]);
    });

    it('is completed by the retry after a crash between the part writes and the event write', async () => {
      // Prepare
      const restore = failFirstPutWhere(table.client, (input) => input.Item?.bodyParts !== undefined);

      // Act
      let crashed: Awaited<ReturnType<typeof invokeHandler>>;
      try {
        crashed = await invokeHandler(webhook(), largeDisbandEvent(body));
      } finally {
        restore();
      }
      const halfWritten = await itemsBySortKey();
      const halfWrittenPage = await eventsPage();
      const retry = await invokeHandler(webhook(), largeDisbandEvent(body));

      // Assess
      expect(crashed.statusCode).toBe(500);
      expect(halfWritten.events).toEqual([]);
      expect(halfWritten.parts.length).toBeGreaterThan(1);
      expect(halfWritten.state).toBeUndefined();
      expect(halfWrittenPage.events).toEqual([]);
      expect(retry.envelope).toEqual(OK);
      const { events, parts, state } = await itemsBySortKey();
      expect(events).toHaveLength(1);
      expect(parts.map(partSummary)).toEqual(halfWritten.parts.map(partSummary));
      expect(state).toMatchObject({ destroyed: { BOOL: true } });
      expect((await eventsPage()).events.map((event) => event.body)).toEqual([body]);
    });

    it('never reaches the group state through a part: the stream consumer skips part items', async () => {
      await invokeHandler(webhook(), largeDisbandEvent(body));
      const { parts } = await itemsBySortKey();
      const store = dynamoGroupStateStore({ client: table.client, tableName: table.tableName });
      const applied: string[] = [];
      const counting = {
        applyEvent: async (event: Parameters<typeof store.applyEvent>[0]) => {
          applied.push(event.sortKey);
          return store.applyEvent(event);
        },
        applyEvents: async (groupId: string, events: Parameters<typeof store.applyEvents>[1]) => {
          applied.push(...events.map((event) => event.sortKey));
          return store.applyEvents(groupId, events);
        },
        rebuildGroup: async (groupId: string) => {
          applied.push(`rebuild ${groupId}`);
          return store.rebuildGroup(groupId);
        },
      };
      const records = parts.map(
        (part, index): DynamoDBRecord => ({
          eventName: 'INSERT',
          dynamodb: { NewImage: part as never, SequenceNumber: String(index) },
        }),
      );

      const result = await createGroupStateStreamHandler({ store: counting })({ Records: records });

      expect(result).toEqual({ batchItemFailures: [] });
      expect(applied).toEqual([]);
    });
  });

  describe('GET /groups/{id}/events with large events', () => {
    it(`ends a page before ${EVENTS_RESPONSE_BUDGET_BYTES} bytes and continues on the next`, async () => {
      // Prepare: four disbands of about 1.5 MB each (different EventTimes): three fit one answer.
      const members = membersForBytes(1_500_000);
      const bodies = [1, 2, 3, 4].map((eventTime) => largeDisbandBody({ members, eventTime }));
      for (const body of bodies) expect((await invokeHandler(webhook(), largeDisbandEvent(body))).statusCode).toBe(200);

      // Act
      const pages = [await eventsPage()];
      while (pages.at(-1)?.nextCursor) pages.push(await eventsPage({ cursor: pages.at(-1)?.nextCursor as string }));

      // Assess
      expect(pages.map((page) => page.events.length)).toEqual([3, 1]);
      expect(pages.flatMap((page) => page.events.map((event) => event.body))).toEqual(bodies);
    });

    it('answers an event whose text would break the response limit with its body compressed, base64', async () => {
      // Prepare: a body of escaped quotes doubles when written as a JSON string.
      const rawBody = JSON.stringify({
        CallbackCommand: 'Group.CallbackAfterGroupFull',
        GroupId: GROUP_ID,
        EventTime: 1,
        Quotes: '"'.repeat(2_300_000),
      });
      expect((await invokeHandler(webhook(), tencentEvent({ rawBody }))).statusCode).toBe(200);

      // Act
      const [event] = (await eventsPage()).events;

      // Assess
      expect(event).not.toHaveProperty('body');
      expect(gunzipSync(Buffer.from(event?.bodyGzipBase64 as string, 'base64')).toString('utf8')).toBe(rawBody);
    });
  });
  describe('a base64 body whose bytes are not UTF-8', () => {
    // 150,000 bytes of 0xFF inside an attribute value: as text each would be a 3-byte U+FFFD, 450 KB in all.
    const bytes = Buffer.concat([
      Buffer.from(
        '{"CallbackCommand":"Group.CallbackAfterGroupAttrChanged","GroupId":"@TGS#_not_utf8","Type":"Public",' +
          '"OptionType":"set","GroupAttr":[{"key":"k","value":"',
      ),
      Buffer.alloc(150_000, 0xff),
      Buffer.from('"}],"EventTime":"1670574414123"}'),
    ]);
    const delivery = () => ({
      ...tencentEvent({ command: 'Group.CallbackAfterGroupAttrChanged' }),
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    });

    it('is recorded once as the bytes received, compressed, with a note, never as their expanded text', async () => {
      // Act
      const answer = await invokeHandler(webhook(), delivery());
      const retry = await invokeHandler(webhook(), delivery());

      // Assess
      expect([answer.envelope, retry.envelope]).toEqual([OK, OK]);
      const { events, parts } = await itemsBySortKey();
      expect(events).toHaveLength(1);
      expect(parts).toEqual([]);
      const [event] = events;
      expect(event).not.toHaveProperty('body');
      expect(event?.bodyBytes).toEqual({ N: String(bytes.byteLength) });
      expect(Buffer.from(gunzipSync(event?.bodyGzip?.B ?? new Uint8Array())).equals(bytes)).toBe(true);
      expect(event?.shapeNotes?.L).toContainEqual({
        S: 'body: not valid UTF-8; stored as the bytes received (bodyGzip)',
      });
    });
  });
});
