import {
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroupsApiHandler, GroupsRoute } from '../../lib/groupsApi/handler.js';
import { dynamoGroupReader } from '../../lib/groupsApi/reader.js';
import { describeOnEachEngine, startTestTable, type TestTable } from '../support/dynaliteTable.js';
import { groupsApiRequest } from '../support/groupsApiRequest.js';
import { inlineStateWebhook } from '../support/inlineStateWebhook.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { tencentEvent } from '../support/tencentRequest.js';

const GROUP_ID = '@TGS#2J4SZEAEL';
describeOnEachEngine('the read API on %s', (engine) => {
  let table: TestTable;
  let tableName: string;

  const api = () => createGroupsApiHandler({ reader: dynamoGroupReader({ client: table.client, tableName }) });
  const call = async (event: APIGatewayProxyEventV2) => {
    const response = await api()(event);
    return {
      status: response.statusCode,
      contentType: response.headers['content-type'],
      body: JSON.parse(response.body),
    };
  };

  beforeAll(async () => {
    table = await startTestTable(engine);
    tableName = await table.createTable();
    const webhook = inlineStateWebhook(table.client, tableName);
    // Five group-full events and one attribute change, delivered newest first.
    for (let index = 4; index >= 0; index -= 1) {
      await invokeHandler(
        webhook,
        tencentEvent({
          body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: GROUP_ID, EventTime: String(1000 + index) },
        }),
      );
    }
    const command = 'Group.CallbackAfterGroupAttrChanged';
    await invokeHandler(
      webhook,
      tencentEvent({
        command,
        body: {
          CallbackCommand: command,
          GroupId: GROUP_ID,
          OptionType: 'modify',
          GroupAttr: [{ key: 'k', value: 'v' }],
          EventTime: '1002',
        },
      }),
    );
  });
  afterAll(async () => {
    await table.close();
  });

  describe('GET /groups/{groupId}', () => {
    it('answers the state for the path parameter as API Gateway hands it over (decoded once)', async () => {
      const answer = await call(groupsApiRequest(GroupsRoute.State, GROUP_ID));
      expect(answer).toEqual({
        status: 200,
        contentType: 'application/json',
        body: {
          groupId: GROUP_ID,
          type: null,
          name: null,
          owner: null,
          destroyed: false,
          destroyedAt: null,
          lastFullAt: 1004,
          fullCount: 5,
          attributes: { k: 'v' },
          lastEventTime: 1004,
          eventCount: 6,
        },
      });
    });

    it('reads the group the parameter names: a `%41` in it is part of the ID, never decoded again', async () => {
      // Prepare: two groups whose IDs differ only by one decoding (`GET /groups/pct%2541-X` hands over `pct%41-X`)
      const webhook = inlineStateWebhook(table.client, tableName);
      const full = (GroupId: string, EventTime: string) =>
        invokeHandler(
          webhook,
          tencentEvent({ body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId, EventTime } }),
        );
      await full('pctA-X', '7');
      await full('pct%41-X', '8');
      await full('pct%41-X', '9');

      // Act
      const escaped = await call(groupsApiRequest(GroupsRoute.State, 'pct%41-X'));
      const plain = await call(groupsApiRequest(GroupsRoute.State, 'pctA-X'));
      const escapedEvents = await call(groupsApiRequest(GroupsRoute.Events, 'pct%41-X'));

      // Assess
      expect(escaped.body).toMatchObject({ groupId: 'pct%41-X', fullCount: 2 });
      expect(plain.body).toMatchObject({ groupId: 'pctA-X', fullCount: 1 });
      expect(escapedEvents.body.events.map((event: { groupId: string }) => event.groupId)).toEqual([
        'pct%41-X',
        'pct%41-X',
      ]);
    });

    it('refuses a group ID that is not well-formed Unicode (no such group can be recorded)', async () => {
      expect(await call(groupsApiRequest(GroupsRoute.State, 'g\uD800'))).toMatchObject({
        status: 400,
        body: { error: 'GroupIdInvalid' },
      });
    });

    it('answers 404 for a group never seen', async () => {
      expect(await call(groupsApiRequest(GroupsRoute.State, '@TGS#never'))).toMatchObject({
        status: 404,
        body: { error: 'GroupNotFound', message: 'no event of group @TGS#never has been recorded' },
      });
    });

    it('answers 500 StorageFailed, in JSON, when DynamoDB fails', async () => {
      const client = new DynamoDBClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
      mockClient(client)
        .on(GetItemCommand)
        .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
      const handler = createGroupsApiHandler({ reader: dynamoGroupReader({ client, tableName }) });
      const response = await handler(groupsApiRequest(GroupsRoute.State, GROUP_ID));
      expect(response.statusCode).toBe(500);
      expect(JSON.parse(response.body)).toEqual({
        error: 'StorageFailed',
        message: 'the store could not be read; retry later',
      });
    });
  });

  describe('GET /groups/{groupId}/events', () => {
    it('pages through all events in EventTime order', async () => {
      const times: number[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page += 1) {
        const answer = await call(
          groupsApiRequest(GroupsRoute.Events, GROUP_ID, { limit: '4', ...(cursor ? { cursor } : {}) }),
        );
        expect(answer.status).toBe(200);
        expect(answer.body.events.length).toBeLessThanOrEqual(4);
        times.push(...answer.body.events.map((event: { eventTime: number }) => event.eventTime));
        cursor = answer.body.nextCursor ?? undefined;
        if (!cursor) break;
      }
      expect(times).toEqual([1000, 1001, 1002, 1002, 1003, 1004]);
    });

    it('shows each event without its storage keys, common attributes first', async () => {
      const answer = await call(groupsApiRequest(GroupsRoute.Events, GROUP_ID, { limit: '1' }));
      const [event] = answer.body.events;
      expect(Object.keys(event).slice(0, 5)).toEqual([
        'groupId',
        'command',
        'eventTime',
        'eventTimeSource',
        'deliveryId',
      ]);
      expect(event).not.toHaveProperty('pk');
      expect(event).not.toHaveProperty('sk');
    });

    it('filters by command, filling the page across DynamoDB pages', async () => {
      const answer = await call(
        groupsApiRequest(GroupsRoute.Events, GROUP_ID, { command: 'Group.CallbackAfterGroupAttrChanged', limit: '1' }),
      );
      expect(answer.body.events).toHaveLength(1);
      expect(answer.body.events[0]).toMatchObject({
        command: 'Group.CallbackAfterGroupAttrChanged',
        optionType: 'modify',
        groupAttr: [{ key: 'k', value: 'v' }],
      });
    });

    it('answers an empty list for a group never seen', async () => {
      expect(await call(groupsApiRequest(GroupsRoute.Events, '@TGS#never'))).toEqual({
        status: 200,
        contentType: 'application/json',
        body: { events: [], nextCursor: null },
      });
    });

    it.each([
      [{ limit: '0' }, 'LimitInvalid'],
      [{ limit: '101' }, 'LimitInvalid'],
      [{ limit: 'ten' }, 'LimitInvalid'],
      [{ cursor: 'not-a-cursor' }, 'CursorInvalid'],
      [{ cursor: Buffer.from(JSON.stringify({ sk: 'STATE' })).toString('base64url') }, 'CursorInvalid'],
      [{ command: 'Group.CallbackBeforeSendMsg' }, 'CommandInvalid'],
    ])('refuses %j with 400 %s', async (query, error) => {
      expect(await call(groupsApiRequest(GroupsRoute.Events, GROUP_ID, query))).toMatchObject({
        status: 400,
        body: { error },
      });
    });

    it('asks DynamoDB for events only, in sort-key order, with the command as a filter', async () => {
      const client = new DynamoDBClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
      const dynamo = mockClient(client);
      dynamo.on(QueryCommand).resolves({ Items: [] });
      await dynamoGroupReader({ client, tableName: 'events' }).readEvents(GROUP_ID, {
        limit: 20,
        command: 'Group.CallbackAfterGroupFull',
      });
      expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
        TableName: 'events',
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
        FilterExpression: 'command = :command',
        ExpressionAttributeValues: {
          ':pk': { S: 'GROUP#@TGS#2J4SZEAEL' },
          ':events': { S: 'EVENT#' },
          ':command': { S: 'Group.CallbackAfterGroupFull' },
        },
        ScanIndexForward: true,
        Limit: 20,
      });
    });
  });
});
