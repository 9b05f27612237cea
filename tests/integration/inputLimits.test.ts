import { describe, expect, it } from 'vitest';
import { InputLimit } from '../../lib/tencent/limits.js';
import { RejectionReason, type RejectionReasonName } from '../../lib/tencent/rejection.js';
import { createWebhookHandler, type WebhookLambdaHandler } from '../../lib/webhook/handler.js';
import { largeDisbandBody, membersForBytes } from '../../scripts/tools/largeDisbandBody.js';
import { useFreshTablePerTest } from '../support/dynaliteTable.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { type TencentRequestOptions, tencentEvent } from '../support/tencentRequest.js';
import { testConfig } from '../support/testConfig.js';
import { testEventStore } from '../support/testEventStore.js';

/**
 * Hostile or oversized input: a 4xx FAIL envelope, nothing recorded; the largest accepted body is recorded; long fields
 * are noted.
 */
const table = useFreshTablePerTest();

const receiver = (): WebhookLambdaHandler =>
  createWebhookHandler({
    config: testConfig({ tableName: table.tableName }),
    store: testEventStore({ client: table.client, tableName: table.tableName }),
  });

const DESTROYED = 'Group.CallbackAfterGroupDestroyed';
const ATTR_CHANGED = 'Group.CallbackAfterGroupAttrChanged';

/** A disband whose member list, padded by a field Tencent might add, fills the body to exactly `bytes`. */
const destroyedBodyOfSize = (bytes: number, eventTime = 1): string => {
  const listed = JSON.parse(
    largeDisbandBody({ members: membersForBytes(bytes) - 1, groupId: '@TGS#BIG', eventTime }),
  ) as Record<string, unknown>;
  const padding = bytes - Buffer.byteLength(JSON.stringify({ ...listed, Padding: '' }));
  return JSON.stringify({ ...listed, Padding: 'p'.repeat(padding) });
};

const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { level: nested(depth - 1) });

const expectRefused = async (request: TencentRequestOptions, reason: RejectionReasonName) => {
  const answer = await invokeHandler(receiver(), tencentEvent(request));
  expect(answer).toEqual({
    statusCode: RejectionReason[reason].httpStatus,
    contentType: 'application/json',
    envelope: { ActionStatus: 'FAIL', ErrorCode: RejectionReason[reason].errorCode, ErrorInfo: expect.any(String) },
  });
  expect(answer.envelope.ErrorInfo).not.toMatch(/\n\s+at |\.ts:|node_modules/);
  expect(await table.scan()).toEqual([]);
  return answer.envelope.ErrorInfo;
};

describe('body size', () => {
  it('records the largest body accepted, as text and as base64, each exactly once', async () => {
    const rawBody = destroyedBodyOfSize(InputLimit.bodyBytes);
    expect(Buffer.byteLength(rawBody)).toBe(InputLimit.bodyBytes);
    expect((await invokeHandler(receiver(), tencentEvent({ command: DESTROYED, rawBody }))).statusCode).toBe(200);
    const base64Body = destroyedBodyOfSize(InputLimit.bodyBytes, 2);
    expect(
      (await invokeHandler(receiver(), tencentEvent({ command: DESTROYED, rawBody: base64Body, base64: true })))
        .statusCode,
    ).toBe(200);
    const events = (await table.scan()).filter((item) => item.sk?.S?.startsWith('EVENT#'));
    expect(events.map((item) => item.eventTime?.N).sort()).toEqual(['1', '2']);
  });

  it('refuses one byte more with 413, before decoding or parsing it', async () => {
    const rawBody = destroyedBodyOfSize(InputLimit.bodyBytes + 1);
    const message = await expectRefused({ command: DESTROYED, rawBody }, 'BodyTooLarge');
    expect(message).toBe(`body is ${InputLimit.bodyBytes + 1} bytes; the limit is ${InputLimit.bodyBytes}`);
    await expectRefused({ command: DESTROYED, rawBody, base64: true }, 'BodyTooLarge');
    await expectRefused({ command: DESTROYED, rawBody: `{${' '.repeat(9 * 1024 * 1024)}}` }, 'BodyTooLarge');
  });
});

describe('nesting depth', () => {
  it(`accepts a body ${InputLimit.nestingDepth} levels deep and stores it as sent`, async () => {
    const body = { GroupId: '@TGS#DEEP', EventTime: 1, Extra: nested(InputLimit.nestingDepth - 1) };
    expect((await invokeHandler(receiver(), tencentEvent({ body }))).statusCode).toBe(200);
    expect((await table.scan())[0]?.body?.S).toBe(JSON.stringify(body));
  });

  it('refuses one level deeper, and a body nested 90,000 deep without overflowing the stack', async () => {
    await expectRefused(
      { body: { GroupId: '@TGS#DEEP', EventTime: 1, Extra: nested(InputLimit.nestingDepth) } },
      'BodyTooDeep',
    );
    await expectRefused({ rawBody: `{"GroupId":"g","x":${'['.repeat(90_000)}${']'.repeat(90_000)}}` }, 'BodyTooDeep');
  });
});

describe('prototype keys', () => {
  it.each([
    ['__proto__ at the top', '{"GroupId":"g","EventTime":1,"__proto__":{"polluted":true}}'],
    [
      '__proto__ in an attribute',
      `{"GroupId":"g","GroupAttr":[{"key":"k","value":"v","__proto__":{"polluted":true}}]}`,
    ],
    ['constructor', '{"GroupId":"g","constructor":{"prototype":{"polluted":true}}}'],
    ['prototype', '{"GroupId":"g","Extra":{"prototype":1}}'],
  ])('refuses %s, and no prototype is touched', async (_, rawBody) => {
    await expectRefused({ command: ATTR_CHANGED, rawBody }, 'BodyKeyForbidden');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('field lengths', () => {
  const groupId = (length: number) => `@TGS#${'A'.repeat(length - 5)}`;

  it(`accepts a GroupId of ${InputLimit.groupIdLength} characters and refuses a longer one`, async () => {
    expect(
      (
        await invokeHandler(
          receiver(),
          tencentEvent({ body: { GroupId: groupId(InputLimit.groupIdLength), EventTime: 1 } }),
        )
      ).statusCode,
    ).toBe(200);
    await table.replaceTable();
    await expectRefused({ body: { GroupId: groupId(InputLimit.groupIdLength + 1), EventTime: 1 } }, 'GroupIdInvalid');
  });

  it('refuses a GroupId with a lone surrogate (JSON \\ud800), which DynamoDB would store as U+FFFD', async () => {
    await expectRefused({ rawBody: '{"GroupId":"@TGS#\\ud800","EventTime":1}' }, 'GroupIdInvalid');
  });

  it.each([
    [
      'a member account',
      DESTROYED,
      { MemberList: [{ Member_Account: 'u'.repeat(InputLimit.accountLength + 1) }] },
      'MemberList.*.Member_Account: longer than',
    ],
    ['an owner', DESTROYED, { Owner_Account: 'u'.repeat(InputLimit.accountLength + 1) }, 'Owner_Account: longer than'],
    ['a group name', DESTROYED, { Name: 'n'.repeat(InputLimit.textLength + 1) }, 'Name: longer than'],
    [
      'an attribute key',
      ATTR_CHANGED,
      { GroupAttr: [{ key: 'k'.repeat(InputLimit.attributeKeyLength + 1), value: 'v' }] },
      'GroupAttr.*.key: longer than',
    ],
    [
      'an attribute value',
      ATTR_CHANGED,
      { GroupAttr: [{ key: 'k', value: 'v'.repeat(InputLimit.attributeValueLength + 1) }] },
      'GroupAttr.*.value: longer than',
    ],
  ])(
    'records %s over its limit untyped, with a note naming the field; the body keeps it',
    async (_, command, fields, note) => {
      const body = { CallbackCommand: command, GroupId: '@TGS#L', EventTime: 1, ...fields };
      expect((await invokeHandler(receiver(), tencentEvent({ command, body }))).statusCode).toBe(200);
      const [item] = await table.scan();
      expect(item?.shapeNotes?.L?.map((entry) => entry.S)).toEqual([expect.stringContaining(note)]);
      expect(item?.body?.S).toBe(JSON.stringify(body));
    },
  );

  it('refuses an over-long query parameter', async () => {
    await expectRefused(
      { query: { ClientIP: '1'.repeat(InputLimit.queryParameterLength + 1) } },
      'QueryParameterTooLong',
    );
  });
});
