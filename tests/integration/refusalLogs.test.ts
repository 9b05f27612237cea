import { describe, expect, it } from 'vitest';
import { replayEvent } from '../../lib/redrive/replayEvent.js';
import { replayRecordsInLog } from '../../lib/redrive/replayRecordsInLog.js';
import { InputLimit } from '../../lib/tencent/limits.js';
import { createWebhookHandler, type WebhookLambdaHandler } from '../../lib/webhook/handler.js';
import { largeDisbandBody, membersForBytes } from '../../scripts/tools/largeDisbandBody.js';
import { captureLogs } from '../support/captureLogs.js';
import { useFreshTablePerTest } from '../support/dynaliteTable.js';
import { failFirstPutWhere } from '../support/failingWrites.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { type TencentRequestOptions, tencentEvent } from '../support/tencentRequest.js';
import { testConfig } from '../support/testConfig.js';
import { testEventStore } from '../support/testEventStore.js';

/**
 * Nothing authentic leaves without a trace: each refused or failed request's line names its command, its GroupId
 * when one can be read, and the reason; one that passed verification also carries its replay record, split
 * over lines that each fit a CloudWatch Logs event when it is large.
 */
const table = useFreshTablePerTest();
const DESTROYED = 'Group.CallbackAfterGroupDestroyed';
const CLOUDWATCH_EVENT_BYTES = 256 * 1024;

const receiver = (): WebhookLambdaHandler =>
  createWebhookHandler({
    config: testConfig({ tableName: table.tableName }),
    store: testEventStore({ client: table.client, tableName: table.tableName }),
  });

const logLinesOf = async (handler: WebhookLambdaHandler, request: TencentRequestOptions) => {
  const logs = captureLogs();
  try {
    const answer = await invokeHandler(handler, tencentEvent(request));
    return { answer, lines: logs.lines, entries: logs.entries() };
  } finally {
    logs.restore();
  }
};

describe("a refused request's log line", () => {
  it('names command, GroupId and reason, and carries the replay record once the caller is verified', async () => {
    const rawBody = JSON.stringify({
      CallbackCommand: 'Group.CallbackAfterGroupFull',
      GroupId: `@TGS#${'A'.repeat(200)}`,
      EventTime: 1,
    });
    const { entries } = await logLinesOf(receiver(), { rawBody, query: { Sign: 'not-logged', RequestTime: '1' } });
    expect(entries).toEqual([
      expect.objectContaining({
        level: 'WARN',
        outcome: 'rejected',
        command: 'Group.CallbackAfterGroupFull',
        groupId: `@TGS#${'A'.repeat(200)}`,
        reason: 'GroupIdInvalid',
        replay: {
          query: expect.not.objectContaining({ Sign: expect.anything() }),
          body: rawBody,
          receivedAt: expect.any(Number),
        },
      }),
    ]);
  });

  it('takes the command from the body when the query has none', async () => {
    const rawBody = `{"CallbackCommand":"${DESTROYED}","GroupId":"g","Deep":${'['.repeat(40)}${']'.repeat(40)}}`;
    const { entries } = await logLinesOf(receiver(), { rawBody, query: { CallbackCommand: undefined } });
    expect(entries).toEqual([
      expect.objectContaining({
        outcome: 'rejected',
        command: DESTROYED,
        groupId: 'g',
        reason: 'BodyTooDeep',
        replay: expect.any(Object),
      }),
    ]);
  });

  it('carries no body when the caller is not verified', async () => {
    const { entries } = await logLinesOf(receiver(), { query: { SdkAppid: '1400999999' } });
    expect(entries).toEqual([
      expect.objectContaining({
        outcome: 'rejected',
        command: 'Group.CallbackAfterGroupFull',
        reason: 'SdkAppIdMismatch',
      }),
    ]);
    expect(entries[0]).not.toHaveProperty('replay');
    expect(entries[0]).not.toHaveProperty('groupId');
  });

  it('splits the replay record of a verified body over the limit into lines that fit CloudWatch Logs', async () => {
    const rawBody = largeDisbandBody({ members: membersForBytes(InputLimit.bodyBytes + 10_000) });
    const { answer, lines, entries } = await logLinesOf(receiver(), { command: DESTROYED, rawBody, base64: true });
    expect(answer.statusCode).toBe(413);
    expect(entries[0]).toMatchObject({
      outcome: 'rejected',
      reason: 'BodyTooLarge',
      command: DESTROYED,
      groupId: '@TGS#_large_disband',
    });
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThan(CLOUDWATCH_EVENT_BYTES - 1024);
    expect(replayRecordsInLog(lines).records.map((record) => record.body)).toEqual([rawBody]);
  });
});

describe('a large delivery DynamoDB failed to store', () => {
  it('is logged in lines that fit CloudWatch Logs and recorded whole when they are replayed', async () => {
    // Prepare
    const rawBody = largeDisbandBody({ members: membersForBytes(4 * 1024 * 1024) });
    const restore = failFirstPutWhere(table.client, () => true);

    // Act
    let failed: Awaited<ReturnType<typeof logLinesOf>>;
    try {
      failed = await logLinesOf(receiver(), { command: DESTROYED, rawBody, base64: true });
    } finally {
      restore();
    }
    const { records } = replayRecordsInLog(failed.lines);
    const replayed = await invokeHandler(receiver(), replayEvent(records[0] as (typeof records)[number]));

    // Assess
    expect(failed.answer.statusCode).toBe(500);
    expect(failed.entries.every((entry) => entry.level === 'ERROR' && entry.outcome === 'failed')).toBe(true);
    for (const line of failed.lines) expect(Buffer.byteLength(line)).toBeLessThan(CLOUDWATCH_EVENT_BYTES - 1024);
    expect(records).toHaveLength(1);
    expect(replayed.statusCode).toBe(200);
    const events = (await table.scan()).filter((item) => item.sk?.S?.startsWith('EVENT#'));
    expect(events).toHaveLength(1);
    expect(events[0]?.memberCount).toEqual({ N: String(membersForBytes(4 * 1024 * 1024)) });
  });
});
