import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AttributeValue, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockEventCreator } from 'aws-lambda-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import type { WebhookConfig } from '../../lib/config.js';
import { RejectionReason } from '../../lib/tencent/rejection.js';
import { createWebhookHandler, type WebhookLambdaHandler } from '../../lib/webhook/handler.js';
import { repositoryRoot } from '../../scripts/stack/localSettings.js';
import { captureLogs } from '../support/captureLogs.js';
import { describeOnEachEngine, useFreshTablePerTest } from '../support/dynaliteTable.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { signedQuery, TEST_SDK_APP_ID, TEST_TOKEN, tencentEvent } from '../support/tencentRequest.js';
import { testConfig } from '../support/testConfig.js';
import { testEventStore } from '../support/testEventStore.js';

// On DynamoDB Local too: AWS's own validation rules, which dynalite does not apply.
describeOnEachEngine('the webhook handler on %s', (engine) => {
  const NOW = 1_763_800_000_000;
  const OK = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 };

  const table = useFreshTablePerTest(engine);

  const receiver = (
    overrides: Partial<WebhookConfig> = {},
    client: DynamoDBClient = table.client,
  ): WebhookLambdaHandler =>
    createWebhookHandler({
      config: testConfig({ tableName: table.tableName, ...overrides }),
      store: testEventStore({ client, tableName: table.tableName }),
      now: () => NOW,
    });

  const eventItems = async () => (await table.scan()).filter((item) => item.sk?.S?.startsWith('EVENT#'));
  const text = (value: AttributeValue | undefined) => value?.S;

  const sampleEvent = (file: string) => JSON.parse(readFileSync(join(repositoryRoot, 'events', file), 'utf8'));

  describe('the three documented webhooks', () => {
    it.each([
      ['group-full.json', 'Group.CallbackAfterGroupFull', {}],
      [
        'group-destroyed.json',
        'Group.CallbackAfterGroupDestroyed',
        {
          groupType: { S: 'Public' },
          ownerAccount: { S: 'leckie' },
          groupName: { S: 'MyFirstGroup' },
          memberAccounts: { L: [{ S: 'leckie' }, { S: 'peter' }, { S: 'bob' }] },
        },
      ],
      [
        'group-attr-changed.json',
        'Group.CallbackAfterGroupAttrChanged',
        {
          groupType: { S: 'Public' },
          operatorAccount: { S: 'leckie' },
          optionType: { S: 'set' },
          groupAttr: {
            L: [
              { M: { key: { S: 'key1' }, value: { S: 'value1' } } },
              { M: { key: { S: 'key2' }, value: { S: 'values' } } },
            ],
          },
        },
      ],
    ])('events/%s is answered OK and recorded with its typed fields', async (file, command, typedFields) => {
      // Prepare
      const event = sampleEvent(file);
      const sentBody: string = event.body;

      // Act
      const answer = await invokeHandler(receiver({ sdkAppId: '1400000001' }), event);

      // Assess
      expect(answer).toEqual({ statusCode: 200, contentType: 'application/json', envelope: OK });
      const items = await eventItems();
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        pk: { S: 'GROUP#@TGS#2J4SZEAEL' },
        groupId: { S: '@TGS#2J4SZEAEL' },
        command: { S: command },
        eventTime: { N: '1670574414123' },
        eventTimeSource: { S: 'tencent' },
        sdkAppId: { S: '1400000001' },
        clientIp: { S: '127.0.0.1' },
        optPlatform: { S: 'Web' },
        receivedAt: { N: String(NOW) },
        body: { S: sentBody },
        ...typedFields,
      });
    });
  });

  describe('what Tencent really sends', () => {
    it('needs no Content-Type, and ignores a wrong one', async () => {
      expect((await invokeHandler(receiver(), tencentEvent())).envelope).toEqual(OK);
      const labelledAsText = tencentEvent({
        body: { GroupId: 'g2', EventTime: 2 },
        headers: { 'content-type': 'text/plain' },
      });
      expect((await invokeHandler(receiver(), labelledAsText)).envelope).toEqual(OK);
      expect(await eventItems()).toHaveLength(2);
    });

    it('decodes a base64 body and stores it decoded', async () => {
      const body = { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: '@TGS#b64', EventTime: 7 };
      expect((await invokeHandler(receiver(), tencentEvent({ body, base64: true }))).statusCode).toBe(200);
      const [item] = await eventItems();
      expect(text(item?.body)).toBe(JSON.stringify(body));
      expect(item?.eventTime).toEqual({ N: '7' });
    });

    it('records without ClientIP and OptPlatform, as NULL', async () => {
      const event = tencentEvent({ query: { ClientIP: undefined, OptPlatform: undefined } });
      expect((await invokeHandler(receiver(), event)).statusCode).toBe(200);
      expect((await eventItems())[0]).toMatchObject({ clientIp: { NULL: true }, optPlatform: { NULL: true } });
    });

    it('keeps fields Tencent adds later in the stored body', async () => {
      const body = {
        CallbackCommand: 'Group.CallbackAfterGroupFull',
        GroupId: 'g',
        EventTime: '1',
        NewField: { a: [1] },
      };
      await invokeHandler(receiver(), tencentEvent({ body }));
      expect(JSON.parse(text((await eventItems())[0]?.body) ?? '')).toEqual(body);
    });

    it('works behind a REST API (payload 1.0)', async () => {
      const restEvent = mockEventCreator.createAPIGatewayEvent({
        path: '/webhook',
        method: 'POST',
        headers: { Host: 'example.execute-api.eu-west-1.amazonaws.com' },
        queryStringParameters: {
          SdkAppid: TEST_SDK_APP_ID,
          CallbackCommand: 'Group.CallbackAfterGroupFull',
          contenttype: 'json',
        },
        body: JSON.stringify({
          CallbackCommand: 'Group.CallbackAfterGroupFull',
          GroupId: '@TGS#rest',
          EventTime: '99',
        }),
      });
      const answer = await invokeHandler(receiver(), restEvent);
      expect(answer).toEqual({ statusCode: 200, contentType: 'application/json', envelope: OK });
      expect((await eventItems())[0]).toMatchObject({ groupId: { S: '@TGS#rest' }, eventTime: { N: '99' } });
    });
  });

  describe('idempotency', () => {
    it('stores a repeated delivery once and answers OK each time', async () => {
      const handler = receiver();
      for (let attempt = 0; attempt < 3; attempt += 1) {
        expect((await invokeHandler(handler, tencentEvent())).envelope).toEqual(OK);
      }
      expect(await eventItems()).toHaveLength(1);
    });

    it('treats a retry with reordered keys, another ClientIP and OptPlatform as the same delivery', async () => {
      const handler = receiver();
      await invokeHandler(
        handler,
        tencentEvent({ rawBody: '{"CallbackCommand":"Group.CallbackAfterGroupFull","GroupId":"g","EventTime":"5"}' }),
      );
      await invokeHandler(
        handler,
        tencentEvent({
          rawBody: '{ "EventTime": "5", "GroupId": "g", "CallbackCommand": "Group.CallbackAfterGroupFull" }',
          query: { ClientIP: '192.0.2.1', OptPlatform: 'iOS' },
        }),
      );
      const items = await eventItems();
      expect(items).toHaveLength(1);
      // The first delivery stays as it was recorded: a retry never overwrites it.
      expect(items[0]).toMatchObject({
        clientIp: { S: '10.0.0.7' },
        optPlatform: { S: 'Android' },
        body: { S: '{"CallbackCommand":"Group.CallbackAfterGroupFull","GroupId":"g","EventTime":"5"}' },
      });
    });

    it('stores 25 concurrent copies of one delivery once', async () => {
      const handler = receiver();
      const answers = await Promise.all(Array.from({ length: 25 }, () => invokeHandler(handler, tencentEvent())));
      expect(answers.every((answer) => answer.statusCode === 200 && answer.envelope.ActionStatus === 'OK')).toBe(true);
      expect(await eventItems()).toHaveLength(1);
    });

    it('stores each repeated group-full with its own EventTime', async () => {
      const handler = receiver();
      for (const EventTime of ['1', '2', '3']) {
        await invokeHandler(
          handler,
          tencentEvent({ body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: 'g', EventTime } }),
        );
      }
      expect((await eventItems()).map((item) => item.eventTime?.N).sort()).toEqual(['1', '2', '3']);
    });

    it('stores a delivery without EventTime once, under its first receive time, across retries', async () => {
      const body = { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: 'g' };
      let now = NOW;
      const handler = createWebhookHandler({
        config: testConfig({ tableName: table.tableName }),
        store: testEventStore({ client: table.client, tableName: table.tableName }),
        now: () => now,
      });
      await invokeHandler(handler, tencentEvent({ body }));
      now += 30_000;
      await Promise.all([
        invokeHandler(handler, tencentEvent({ body })),
        invokeHandler(handler, tencentEvent({ body })),
      ]);
      const items = await eventItems();
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ eventTime: { N: String(NOW) }, eventTimeSource: { S: 'received' } });
    });
  });

  describe('the log', () => {
    it('has one JSON line per request: command, group, outcome and timing, with the Lambda request id', async () => {
      const handler = receiver();
      const logs = captureLogs();
      try {
        await invokeHandler(handler, tencentEvent());
        await invokeHandler(handler, tencentEvent());
        await invokeHandler(handler, tencentEvent({ command: 'Group.CallbackAfterSendMsg' }));
        expect(logs.entries()).toEqual(
          ['recorded', 'duplicate', 'ignored'].map((outcome) => ({
            level: 'INFO',
            message: 'webhook',
            timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
            service: 'tencent-chat-webhooks',
            cold_start: expect.any(Boolean),
            function_request_id: 'test',
            outcome,
            command: outcome === 'ignored' ? 'Group.CallbackAfterSendMsg' : 'Group.CallbackAfterGroupFull',
            ...(outcome === 'ignored' ? {} : { groupId: '@TGS#2J4SZEAEL' }),
            durationMs: expect.any(Number),
          })),
        );
      } finally {
        logs.restore();
      }
    });
  });

  describe('rejections record nothing', () => {
    const rejectedFiles = readdirSync(join(repositoryRoot, 'events')).filter((file) => file.startsWith('rejected-'));
    const expectedReason: Record<string, keyof typeof RejectionReason> = {
      'rejected-wrong-app.json': 'SdkAppIdMismatch',
      'rejected-missing-app.json': 'SdkAppIdMissing',
      'rejected-not-json.json': 'BodyNotJson',
      'rejected-missing-group-id.json': 'GroupIdInvalid',
    };

    it('has an expected answer for every rejected sample event', () => {
      expect(rejectedFiles.sort()).toEqual(Object.keys(expectedReason).sort());
    });

    it.each(Object.entries(expectedReason))('events/%s → %s', async (file, reason) => {
      const answer = await invokeHandler(receiver({ sdkAppId: '1400000001' }), sampleEvent(file));
      expect(answer).toEqual({
        statusCode: RejectionReason[reason].httpStatus,
        contentType: 'application/json',
        envelope: { ActionStatus: 'FAIL', ErrorCode: RejectionReason[reason].errorCode, ErrorInfo: expect.any(String) },
      });
      expect(await table.scan()).toEqual([]);
    });

    it.each([
      ['an empty body', { rawBody: '' }, 'BodyMissing'],
      ['a JSON array', { rawBody: '[{"GroupId":"g"}]' }, 'BodyNotObject'],
      ['JSON null', { rawBody: 'null' }, 'BodyNotObject'],
      ['a JSON string', { rawBody: '"g"' }, 'BodyNotObject'],
      ['an invalid base64 JSON body', { rawBody: '{not json', base64: true }, 'BodyNotJson'],
      ['no command anywhere', { query: { CallbackCommand: undefined }, body: { GroupId: 'g' } }, 'CommandMissing'],
      ['a GroupId that is a number', { body: { GroupId: 42, EventTime: 1 } }, 'GroupIdInvalid'],
    ] as const)('%s → %s', async (_, request, reason) => {
      const answer = await invokeHandler(receiver(), tencentEvent(request));
      expect(answer.statusCode).toBe(RejectionReason[reason].httpStatus);
      expect(answer.envelope.ErrorCode).toBe(RejectionReason[reason].errorCode);
      expect(answer.envelope.ActionStatus).toBe('FAIL');
      expect(await table.scan()).toEqual([]);
    });

    it('refuses everything, storing nothing, when SDK_APP_ID is not configured', async () => {
      const answer = await invokeHandler(receiver({ sdkAppId: '' }), tencentEvent());
      expect(answer.statusCode).toBe(500);
      expect(answer.envelope.ErrorCode).toBe(RejectionReason.NotConfigured.errorCode);
      expect(await table.scan()).toEqual([]);
    });
  });

  describe('commands this receiver does not record', () => {
    it.each(['Group.CallbackBeforeSendMsg', 'Group.CallbackAfterNewMemberJoin', 'Group.CallbackSomethingNew'])(
      '%s is answered OK with code 0, whatever its body, and not stored',
      async (command) => {
        for (const rawBody of ['{"GroupId":"g"}', 'not json at all', '']) {
          expect(await invokeHandler(receiver(), tencentEvent({ command, rawBody }))).toEqual({
            statusCode: 200,
            contentType: 'application/json',
            envelope: OK,
          });
        }
        expect(await table.scan()).toEqual([]);
      },
    );

    it('is still refused when it comes from another app', async () => {
      const answer = await invokeHandler(
        receiver(),
        tencentEvent({ command: 'Group.CallbackBeforeSendMsg', query: { SdkAppid: '1' } }),
      );
      expect(answer.statusCode).toBe(403);
    });

    it('is answered OK when only the body names it', async () => {
      const event = tencentEvent({
        query: { CallbackCommand: undefined },
        body: { CallbackCommand: 'Group.CallbackAfterSendMsg', GroupId: 'g' },
      });
      expect((await invokeHandler(receiver(), event)).envelope).toEqual(OK);
      expect(await table.scan()).toEqual([]);
    });
  });

  describe('with a callback token', () => {
    const withToken = () => receiver({ callbackToken: TEST_TOKEN });

    it('records a correctly signed, fresh request', async () => {
      expect((await invokeHandler(withToken(), tencentEvent({ query: signedQuery(NOW - 5_000) }))).envelope).toEqual(
        OK,
      );
      expect(await eventItems()).toHaveLength(1);
    });

    it.each([
      ['unsigned', {}, 'SignMissing'],
      ['stale', signedQuery(NOW - 120_000), 'RequestTimeStale'],
      ['signed with another token', signedQuery(NOW, 'another-token'), 'SignMismatch'],
    ] as const)('refuses an %s request and records nothing', async (_, query, reason) => {
      const answer = await invokeHandler(withToken(), tencentEvent({ query }));
      expect(answer.statusCode).toBe(RejectionReason[reason].httpStatus);
      expect(answer.envelope.ErrorCode).toBe(RejectionReason[reason].errorCode);
      expect(await table.scan()).toEqual([]);
    });

    it('never writes either token, or a Sign, to an answer, a log line or an item', async () => {
      const nextToken = 'next-token-for-rotation-3d9a';
      const rotating = () => receiver({ callbackToken: TEST_TOKEN, callbackTokenNext: nextToken });
      const queries = [
        {},
        signedQuery(NOW),
        signedQuery(NOW, nextToken),
        signedQuery(NOW - 120_000),
        signedQuery(NOW, 'another-token'),
        { Sign: TEST_TOKEN, RequestTime: String(NOW / 1000) },
        { Sign: nextToken, RequestTime: String(NOW / 1000) },
      ];
      const logs = captureLogs();
      try {
        const answers = [];
        for (const query of queries) answers.push(await invokeHandler(rotating(), tencentEvent({ query })));
        expect(answers.map((answer) => answer.statusCode)).toEqual([401, 200, 200, 403, 403, 403, 403]);
        expect(logs.lines.length).toBeGreaterThanOrEqual(answers.length);
        const signs = queries.flatMap((query) => ('Sign' in query ? [query.Sign] : []));
        const items = JSON.stringify(await table.scan());
        for (const output of [...logs.lines, ...answers.map((answer) => JSON.stringify(answer)), items]) {
          expect(output).not.toContain(TEST_TOKEN);
          expect(output).not.toContain(nextToken);
          for (const sign of signs) expect(output).not.toContain(sign);
        }
      } finally {
        logs.restore();
      }
    });

    it('logs each rejection with its precise reason', async () => {
      const logs = captureLogs();
      try {
        for (const query of [
          {},
          signedQuery(NOW - 120_000),
          signedQuery(NOW, 'another-token'),
          { ...signedQuery(NOW), SdkAppid: '1' },
        ]) {
          await invokeHandler(withToken(), tencentEvent({ query }));
        }
        expect(logs.entries().map((entry) => [entry.level, entry.outcome, entry.reason])).toEqual([
          ['WARN', 'rejected', 'SignMissing'],
          ['WARN', 'rejected', 'RequestTimeStale'],
          ['WARN', 'rejected', 'SignMismatch'],
          ['WARN', 'rejected', 'SdkAppIdMismatch'],
        ]);
      } finally {
        logs.restore();
      }
    });
  });

  describe('when storage fails', () => {
    it('answers 500 with the FAIL envelope when DynamoDB throttles', async () => {
      const client = new DynamoDBClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
      mockClient(client)
        .on(PutItemCommand)
        .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
      const answer = await invokeHandler(receiver({}, client), tencentEvent());
      expect(answer).toEqual({
        statusCode: 500,
        contentType: 'application/json',
        envelope: {
          ActionStatus: 'FAIL',
          ErrorCode: RejectionReason.StorageFailed.errorCode,
          ErrorInfo: 'the event could not be recorded; retry later',
        },
      });
    });

    it('answers 500 with the FAIL envelope when DynamoDB is unreachable', async () => {
      const client = new DynamoDBClient({
        endpoint: 'http://127.0.0.1:9',
        region: 'local',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        maxAttempts: 1,
      });
      const answer = await invokeHandler(receiver({}, client), tencentEvent());
      expect(answer.statusCode).toBe(500);
      expect(answer.envelope.ErrorCode).toBe(RejectionReason.StorageFailed.errorCode);
      client.destroy();
    });

    it('answers 500 InternalError, never a thrown error, for an unexpected failure', async () => {
      const handler = createWebhookHandler({
        config: testConfig({ tableName: table.tableName }),
        store: { recordEvent: () => Promise.reject(new TypeError('boom')) },
      });
      const answer = await invokeHandler(handler, tencentEvent());
      expect(answer.statusCode).toBe(500);
      expect(answer.envelope).toEqual({
        ActionStatus: 'FAIL',
        ErrorCode: RejectionReason.InternalError.errorCode,
        ErrorInfo: 'internal error',
      });
    });
  });
});
