import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../lib/eventStore/types.js';
import { callbackSign } from '../../lib/tencent/callbackSign.js';
import type { ValidatedGroupEvent } from '../../lib/tencent/delivery.js';
import { RejectionReason } from '../../lib/tencent/rejection.js';
import { createWebhookHandler } from '../../lib/webhook/handler.js';
import { startTestTable, type TestTable } from '../support/dynaliteTable.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { TEST_SDK_APP_ID, TEST_TOKEN, tencentEvent } from '../support/tencentRequest.js';
import { testConfig } from '../support/testConfig.js';
import { testEventStore } from '../support/testEventStore.js';

/**
 * The whole handler, on a real DynamoDB, under random and mutated requests, signed and unsigned.
 * FUZZ_RUNS sets the number of cases (`npm run fuzz` runs many more than `npm test`).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 3_000);
const NOW = 1_763_800_000_000;
const RECORDED = [
  'Group.CallbackAfterGroupFull',
  'Group.CallbackAfterGroupDestroyed',
  'Group.CallbackAfterGroupAttrChanged',
];
const FAIL_CODES = new Set<number>(Object.values(RejectionReason).map((reason) => reason.errorCode));

// Valid deliveries, built the way Tencent does.
const groupId = fc.oneof(fc.constantFrom('@TGS#2J4SZEAEL', '@TGS#_room'), fc.string({ minLength: 1, maxLength: 40 }));
const eventTime = fc.option(
  fc.oneof(fc.integer({ min: 0, max: 2 ** 45 }), fc.integer({ min: 0, max: 2 ** 45 }).map(String)),
  { nil: undefined },
);
const account = fc.string({ maxLength: 32 });
const validBody = fc.oneof(
  fc.record(
    {
      CallbackCommand: fc.constant(RECORDED[0]),
      GroupId: groupId,
      TopicId: fc.string({ maxLength: 60 }),
      EventTime: eventTime,
    },
    { requiredKeys: ['CallbackCommand', 'GroupId'] },
  ),
  fc.record(
    {
      CallbackCommand: fc.constant(RECORDED[1]),
      GroupId: groupId,
      Type: fc.constantFrom('Public', 'Private', 'ChatRoom', 'AVChatRoom', 'Community'),
      Owner_Account: account,
      Name: fc.string({ maxLength: 100 }),
      Operator_Account: account,
      MemberList: fc.oneof(
        fc.array(fc.record({ Member_Account: fc.oneof(account, fc.integer()) }), { maxLength: 5 }),
        fc.constant(null),
      ),
      EventTime: eventTime,
    },
    { requiredKeys: ['CallbackCommand', 'GroupId'] },
  ),
  fc.record(
    {
      CallbackCommand: fc.constant(RECORDED[2]),
      GroupId: groupId,
      Type: fc.constant('Public'),
      Operator_Account: account,
      OptionType: fc.constantFrom('set', 'modify', 'delete', 'clear'),
      GroupAttr: fc.oneof(
        fc.array(
          fc.record(
            { key: fc.string({ maxLength: 32 }), value: fc.oneof(fc.string({ maxLength: 64 }), fc.integer()) },
            { requiredKeys: ['key'] },
          ),
          { maxLength: 4 },
        ),
        fc.constant(null),
      ),
      EventTime: eventTime,
    },
    { requiredKeys: ['CallbackCommand', 'GroupId'] },
  ),
);

// Ways a body goes wrong: a field replaced by any JSON, a field dropped, a prototype key, broken text.
const mutatedBody = fc
  .tuple(
    validBody,
    fc.constantFrom('GroupId', 'EventTime', 'CallbackCommand', 'MemberList', 'GroupAttr', 'Type'),
    fc.jsonValue({ maxDepth: 3 }),
  )
  .chain(([body, field, value]) =>
    fc.constantFrom(
      JSON.stringify({ ...body, [field]: value }),
      JSON.stringify(Object.fromEntries(Object.entries(body).filter(([key]) => key !== field))),
      JSON.stringify(body).replace('{', `{"__proto__":${JSON.stringify(value) ?? 'null'},`),
      JSON.stringify(body).slice(0, -1),
    ),
  );
const anyText = fc.oneof(
  fc.string(),
  fc.json({ maxDepth: 4 }),
  fc.constant(''),
  fc.constant('['.repeat(40) + ']'.repeat(40)),
);

const sign = (requestTime: string) => callbackSign(TEST_TOKEN, requestTime);
const signature = fc.oneof(
  fc.record({ kind: fc.constant('fresh' as const), skewSeconds: fc.integer({ min: -60, max: 60 }) }),
  fc.record({
    kind: fc.constant('stale' as const),
    skewSeconds: fc.oneof(fc.integer({ min: 61, max: 10 ** 6 }), fc.integer({ min: -(10 ** 6), max: -61 })),
  }),
  fc.record({
    kind: fc.constant('forged' as const),
    sign: fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
    ),
  }),
  fc.record({ kind: fc.constant('unsigned' as const) }),
);

const request = fc.record({
  body: fc.oneof(
    { weight: 4, arbitrary: validBody.map((body) => JSON.stringify(body)) },
    { weight: 3, arbitrary: mutatedBody },
    { weight: 1, arbitrary: anyText },
  ),
  sdkAppId: fc.oneof(
    { weight: 8, arbitrary: fc.constant<string | undefined>(TEST_SDK_APP_ID) },
    { weight: 1, arbitrary: fc.option(fc.string(), { nil: undefined }) },
  ),
  queryCommand: fc.oneof(
    { weight: 6, arbitrary: fc.constant<string | undefined>('from-body') },
    {
      weight: 1,
      arbitrary: fc.option(fc.oneof(fc.constantFrom(...RECORDED, 'Group.CallbackBeforeSendMsg'), fc.string()), {
        nil: undefined,
      }),
    },
  ),
  clientIp: fc.option(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 300 })), { nil: undefined }),
  signature,
  base64: fc.boolean(),
  copies: fc.integer({ min: 1, max: 3 }),
  withToken: fc.boolean(),
});
type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

const commandOf = (text: string): string | undefined => {
  try {
    const command = (JSON.parse(text) as { CallbackCommand?: unknown } | null)?.CallbackCommand;
    return typeof command === 'string' ? command : undefined;
  } catch {
    return undefined;
  }
};

const queryOf = (input: FuzzRequest): Record<string, string | undefined> => {
  const requestTime = String(
    Math.floor(NOW / 1000) + ('skewSeconds' in input.signature ? input.signature.skewSeconds : 0),
  );
  const signed =
    input.signature.kind === 'unsigned'
      ? {}
      : input.signature.kind === 'forged'
        ? { RequestTime: requestTime, Sign: input.signature.sign }
        : { RequestTime: requestTime, Sign: sign(requestTime) };
  return {
    SdkAppid: input.sdkAppId,
    CallbackCommand: input.queryCommand === 'from-body' ? commandOf(input.body) : input.queryCommand,
    ClientIP: input.clientIp,
    ...signed,
  };
};

/** Keys that must never be stored, found with JSON.parse's own walk. */
const prototypeKeysIn = (text: string): string[] => {
  const keys: string[] = [];
  JSON.parse(text, (key, value: unknown) => {
    if (['__proto__', 'constructor', 'prototype'].includes(key)) keys.push(key);
    return value;
  });
  return keys;
};

/** What the oracle knows without the receiver's code: the caller proved it is Tencent for our app. */
const authentic = (input: FuzzRequest): boolean =>
  input.sdkAppId === TEST_SDK_APP_ID && (!input.withToken || input.signature.kind === 'fresh');

const parsedOrUndefined = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const depthOf = (value: unknown): number =>
  value !== null && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;

/**
 * Record, don't refuse: an authentic request of a recorded command is refused only when it cannot be stored or
 * identified (not a JSON object, no usable GroupId, the hostile-input bounds). Whatever else its fields hold, it
 * is recorded.
 */
const recordable = (input: FuzzRequest): boolean => {
  const body = parsedOrUndefined(input.body) as Record<string, unknown> | undefined;
  if (!authentic(input) || body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const query = queryOf(input);
  if (Object.values(query).some((value) => value !== undefined && value.length > 256)) return false;
  const command =
    query.CallbackCommand || (typeof body.CallbackCommand === 'string' ? body.CallbackCommand : undefined);
  if (command === undefined || !RECORDED.includes(command)) return false;
  if (prototypeKeysIn(input.body).length > 0 || depthOf(body) > 32) return false;
  return typeof body.GroupId === 'string' && body.GroupId.length > 0 && body.GroupId.length <= 128;
};

describe('the handler under random and mutated requests', () => {
  let table: TestTable;
  let tableName: string;
  const recorded: Array<{ event: ValidatedGroupEvent; result: string }> = [];
  const mustBeStored = new Set<string>();

  beforeAll(async () => {
    table = await startTestTable();
    tableName = await table.createTable();
  });
  afterAll(async () => {
    await table.close();
  });

  it(`records every authenticated request of a recorded command with a usable GroupId exactly once, over ` +
    `${RUNS} cases`, async () => {
    const dynamo = testEventStore({ client: table.client, tableName });
    const calls: ValidatedGroupEvent[] = [];
    const store: EventStore = {
      async recordEvent(event) {
        calls.push(event);
        const result = await dynamo.recordEvent(event);
        recorded.push({ event, result });
        return result;
      },
    };
    const handlers = {
      signed: createWebhookHandler({
        config: testConfig({ tableName, callbackToken: TEST_TOKEN }),
        store,
        now: () => NOW,
      }),
      open: createWebhookHandler({ config: testConfig({ tableName }), store, now: () => NOW }),
    };

    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const handler = input.withToken ? handlers.signed : handlers.open;
        calls.length = 0;
        const answers: number[] = [];
        for (let copy = 0; copy < input.copies; copy += 1) {
          const event = tencentEvent({ rawBody: input.body, base64: input.base64, query: queryOf(input) });
          // Never throws: the await would reject the property.
          const answer = await invokeHandler(handler, event);
          answers.push(answer.statusCode);

          expect(answer.contentType).toBe('application/json');
          expect(Object.keys(answer.envelope).sort()).toEqual(['ActionStatus', 'ErrorCode', 'ErrorInfo']);
          if (answer.statusCode === 200) {
            expect(answer.envelope).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 });
          } else {
            expect(answer.statusCode).toBeGreaterThanOrEqual(400);
            expect(answer.statusCode).toBeLessThan(500);
            expect(answer.envelope.ActionStatus).toBe('FAIL');
            expect(FAIL_CODES.has(answer.envelope.ErrorCode)).toBe(true);
            expect(Math.floor(answer.envelope.ErrorCode / 100)).toBe(answer.statusCode);
            expect(calls).toEqual([]);
          }
        }
        if (recordable(input)) {
          // Every copy recorded or found a duplicate of the same event: recorded exactly once in all (checked below).
          expect(answers.every((status) => status === 200)).toBe(true);
          expect(new Set(calls.map((event) => event.deliveryId)).size).toBe(1);
          expect(calls).toHaveLength(input.copies);
          mustBeStored.add(calls[0]?.deliveryId as string);
        } else {
          expect(calls).toEqual([]);
        }
        for (const event of calls) {
          expect(RECORDED).toContain(event.command);
          expect(event.groupId.length).toBeGreaterThan(0);
          expect(event.rawBody).toBe(input.body);
          expect(prototypeKeysIn(event.rawBody)).toEqual([]);
        }
      }),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );

    const items = (await table.scan(tableName)).filter((item) => item.sk?.S?.startsWith('EVENT#'));
    expect(new Set(items.map((item) => item.deliveryId?.S))).toEqual(mustBeStored);
    const storedIds = items.map((item) => item.deliveryId?.S);
    const recordedIds = recorded.filter(({ result }) => result === 'recorded').map(({ event }) => event.deliveryId);
    expect(new Set(storedIds).size).toBe(storedIds.length);
    expect(new Set(recordedIds).size).toBe(recordedIds.length);
    expect(new Set(storedIds)).toEqual(new Set(recordedIds));
    expect(new Set(recorded.map(({ event }) => event.deliveryId))).toEqual(new Set(recordedIds));
  }, 120_000);
});
