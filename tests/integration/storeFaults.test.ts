import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DYNAMO_DEADLINE_MS, DynamoTimeouts } from '../../lib/dynamo/client.js';
import { RejectionReason } from '../../lib/tencent/rejection.js';
import type { WebhookLambdaHandler } from '../../lib/webhook/handler.js';
import { repositoryRoot, tsxCli } from '../../scripts/stack/localSettings.js';
import { freePort } from '../../scripts/stack/process/freePort.js';
import { type CapturedLogs, captureLogs } from '../support/captureLogs.js';
import { envWithoutReceiverSettings } from '../support/childEnv.js';
import { startTestTable, type TestTable } from '../support/dynaliteTable.js';
import { type FaultyDynamo, failingDynamo, silentDynamo } from '../support/faultyDynamo.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { signedQuery, TEST_SDK_APP_ID, TEST_TOKEN, tencentEvent } from '../support/tencentRequest.js';

/**
 * The deployed function (functions/webhook.ts, with its own DynamoDB client and settings) against a DynamoDB
 * that fails in each way a real one can. Tencent waits 2 s; each answer must be a 5xx FAIL well inside that,
 * with the whole delivery logged at ERROR for `npm run replay`, and never the token. What ends each write is read
 * from the log, not from a clock: the production deadline (1 s) where DynamoDB stalls, the SDK's own error where it
 * fails at once; so the tests say the same on a busy machine as on an idle one.
 */
const TENCENT_TIMEOUT_MS = 2_000;
/**
 * The log's `detail` when one of the store's own timers, not DynamoDB, ended the write: the deadline, or (when the
 * SDK gives up retrying first) an attempt's timeout. The deadline bounds them all.
 */
const ENDED_BY_A_TIMER = new RegExp(
  `^(DeadlineExceededError: did not finish within ${DYNAMO_DEADLINE_MS} ms` +
    `|TimeoutError: .*( ${DynamoTimeouts.requestMs} ms requestTimeout` +
    `| timeout of ${DynamoTimeouts.connectionMs} ms)\\.)$`,
);
const NEXT_TOKEN = 'next-callback-token-77ab';

/** A fresh load of the function module: a cold start, with its settings read from this environment. */
const coldFunction = async (endpoint: string): Promise<WebhookLambdaHandler> => {
  vi.stubEnv('SDK_APP_ID', TEST_SDK_APP_ID);
  vi.stubEnv('CALLBACK_TOKEN', TEST_TOKEN);
  vi.stubEnv('CALLBACK_TOKEN_NEXT', NEXT_TOKEN);
  vi.stubEnv('TABLE_NAME', 'events');
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('IS_OFFLINE', '');
  vi.stubEnv('IS_LOCAL', '');
  vi.resetModules();
  const { handler } = await import('../../functions/webhook.js');
  return handler as WebhookLambdaHandler;
};

const destroyedBody = {
  CallbackCommand: 'Group.CallbackAfterGroupDestroyed',
  GroupId: '@TGS#2FAULTY',
  Type: 'Public',
  Owner_Account: 'leckie',
  Name: 'Faulty',
  MemberList: [{ Member_Account: 'leckie' }, { Member_Account: 'peter' }],
  EventTime: '1670574414123',
};

let logs: CapturedLogs;
let fault: FaultyDynamo | undefined;

afterEach(async () => {
  logs?.restore();
  await fault?.close();
  fault = undefined;
});

const deliverDuringFault = async (endpoint: string) => {
  logs = captureLogs();
  const handler = await coldFunction(endpoint);
  const query = signedQuery(Date.now());
  const event = tencentEvent({ command: destroyedBody.CallbackCommand, body: destroyedBody, query });
  const rawBody = event.body as string;
  const answer = await invokeHandler(handler, event);
  return { answer, sign: query.Sign as string, rawBody };
};

const expectStorageFailed = (result: Awaited<ReturnType<typeof deliverDuringFault>>) => {
  expect(result.answer).toEqual({
    statusCode: 500,
    contentType: 'application/json',
    envelope: {
      ActionStatus: 'FAIL',
      ErrorCode: RejectionReason.StorageFailed.errorCode,
      ErrorInfo: expect.any(String),
    },
  });
};

/** The ERROR line names what ended the write: one of the store's timers, or DynamoDB's error before them. */
const expectReplayableErrorLog = (result: Awaited<ReturnType<typeof deliverDuringFault>>, detail: RegExp) => {
  const errors = logs.entries().filter((entry) => entry.level === 'ERROR');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({
    outcome: 'failed',
    reason: 'StorageFailed',
    detail: expect.stringMatching(detail),
    errorCode: RejectionReason.StorageFailed.errorCode,
    command: destroyedBody.CallbackCommand,
    groupId: destroyedBody.GroupId,
    replay: {
      body: result.rawBody,
      receivedAt: expect.any(Number),
      query: expect.objectContaining({ SdkAppid: TEST_SDK_APP_ID, CallbackCommand: destroyedBody.CallbackCommand }),
    },
  });
  for (const output of [...logs.lines, JSON.stringify(result.answer)]) {
    expect(output).not.toContain(TEST_TOKEN);
    expect(output).not.toContain(NEXT_TOKEN);
    expect(output).not.toContain(result.sign);
  }
};

describe('a DynamoDB that fails: 5xx FAIL by the 1 s deadline at the latest, the delivery logged for replay', () => {
  it("gives up on DynamoDB inside Tencent's 2 s", () => {
    expect(DYNAMO_DEADLINE_MS).toBeLessThan(TENCENT_TIMEOUT_MS);
  });

  it('refuses connections (closed port): the SDK gives up before the deadline', async () => {
    const result = await deliverDuringFault(`http://127.0.0.1:${await freePort()}`);
    expectStorageFailed(result);
    expectReplayableErrorLog(result, /ECONNREFUSED/);
  });

  it("accepts connections and never answers: the store's own timers end the write", async () => {
    fault = await silentDynamo();
    const result = await deliverDuringFault(fault.endpoint);
    expectStorageFailed(result);
    expectReplayableErrorLog(result, ENDED_BY_A_TIMER);
    expect(fault.received()).toBeGreaterThanOrEqual(1);
  });

  it('throttles every request (retried, then given up on before the deadline)', async () => {
    fault = await failingDynamo({ errorType: 'ThrottlingException', statusCode: 400 });
    const result = await deliverDuringFault(fault.endpoint);
    expectStorageFailed(result);
    expectReplayableErrorLog(result, /^ThrottlingException: Rate exceeded/);
    expect(fault.received()).toBe(DynamoTimeouts.maxAttempts);
  });

  it("answers 500 slowly, every time: each attempt is cut short, and the store's timers end the write", async () => {
    fault = await failingDynamo({ errorType: 'InternalServerError', statusCode: 500, delayMs: 1_500 });
    const result = await deliverDuringFault(fault.endpoint);
    expectStorageFailed(result);
    expectReplayableErrorLog(result, ENDED_BY_A_TIMER);
  });

  it('answers every one of 20 concurrent deliveries by its own timers while it hangs', async () => {
    fault = await silentDynamo();
    logs = captureLogs();
    const handler = await coldFunction(fault.endpoint);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        invokeHandler(
          handler,
          tencentEvent({ body: { GroupId: `@TGS#${index}`, EventTime: 1 }, query: signedQuery(Date.now()) }),
        ),
      ),
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(20).fill(500));
    const failures = logs.entries().filter((entry) => entry.level === 'ERROR' && entry.replay);
    expect(failures.map((entry) => entry.detail)).toEqual(Array(20).fill(expect.stringMatching(ENDED_BY_A_TIMER)));
  });
});

describe('npm run replay', () => {
  let table: TestTable;
  let tableName: string;

  beforeAll(async () => {
    table = await startTestTable();
    tableName = await table.createTable();
  });
  afterAll(async () => {
    await table.close();
  });

  /** Asynchronous on purpose: the dynalite the child talks to runs in this process's event loop. */
  const replay = (file: string): Promise<{ status: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [tsxCli, 'scripts/tools/replay.ts', file],
        {
          cwd: repositoryRoot,
          env: envWithoutReceiverSettings({
            AWS_ENDPOINT_URL_DYNAMODB: table.dynamo.endpoint,
            TABLE_NAME: tableName,
            SDK_APP_ID: TEST_SDK_APP_ID,
            LOG_LEVEL: 'INFO',
          }),
          timeout: 50_000,
        },
        (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  const outcomes = (stdout: string) =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { outcome: string; groupId: string });

  it('records what a failure logged, once, however often it is replayed', async () => {
    fault = await silentDynamo();
    const untimed = { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: '@TGS#UNTIMED' };
    logs = captureLogs();
    const handler = await coldFunction(fault.endpoint);
    for (const body of [destroyedBody, untimed]) {
      await invokeHandler(
        handler,
        tencentEvent({ command: body.CallbackCommand, body, query: signedQuery(Date.now()) }),
      );
    }
    await invokeHandler(handler, tencentEvent({ query: {} }));
    const logFile = join(mkdtempSync(join(tmpdir(), 'replay-')), 'webhook.log');
    // As CloudWatch shows them: timestamp, request id and level before each JSON line.
    writeFileSync(logFile, logs.lines.map((line) => `2026-11-22T04:00:00.000Z\tb7f1\tINFO\t${line}`).join('\n'));
    logs.restore();
    const failedAt = logs.entries().find((entry) => entry.groupId === '@TGS#UNTIMED')?.replay as { receivedAt: number };

    const first = await replay(logFile);
    expect(first.status, first.stderr).toBe(0);
    expect(outcomes(first.stdout).map((entry) => entry.outcome)).toEqual(['recorded', 'recorded']);
    expect(first.stdout).toContain('replayed 2 logged deliveries: 2 OK');

    const second = await replay(logFile);
    expect(second.status, second.stderr).toBe(0);
    expect(outcomes(second.stdout).map((entry) => entry.outcome)).toEqual(['duplicate', 'duplicate']);

    const events = (await table.scan(tableName)).filter((item) => item.sk?.S?.startsWith('EVENT#'));
    expect(events.map((item) => item.groupId?.S).sort()).toEqual(['@TGS#2FAULTY', '@TGS#UNTIMED']);
    const untimedItem = events.find((item) => item.groupId?.S === '@TGS#UNTIMED');
    expect(untimedItem?.eventTime?.N).toBe(String(failedAt.receivedAt));
    expect(JSON.stringify(events)).not.toContain(TEST_TOKEN);
  });

  it("refuses to replay another app's deliveries", async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'replay-')), 'webhook.log');
    const foreign = {
      query: { SdkAppid: '1499999999', CallbackCommand: 'Group.CallbackAfterGroupFull' },
      body: '{"GroupId":"x","EventTime":1}',
      receivedAt: 1,
    };
    writeFileSync(logFile, `${JSON.stringify({ level: 'ERROR', outcome: 'failed', replay: foreign })}\n`);
    const result = await replay(logFile);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`FAIL ${RejectionReason.SdkAppIdMismatch.errorCode}`);
  });
});
