import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
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
 * with the whole delivery logged at ERROR for `npm run replay`, and never the token.
 */
const TENCENT_TIMEOUT_MS = 2_000;
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
  const startedAt = performance.now();
  const answer = await invokeHandler(handler, event);
  return { answer, tookMs: performance.now() - startedAt, sign: query.Sign as string, rawBody };
};

const expectStorageFailedInTime = (result: Awaited<ReturnType<typeof deliverDuringFault>>) => {
  expect(result.answer).toEqual({
    statusCode: 500,
    contentType: 'application/json',
    envelope: {
      ActionStatus: 'FAIL',
      ErrorCode: RejectionReason.StorageFailed.errorCode,
      ErrorInfo: expect.any(String),
    },
  });
  expect(result.tookMs).toBeLessThan(TENCENT_TIMEOUT_MS);
};

const expectReplayableErrorLog = (result: Awaited<ReturnType<typeof deliverDuringFault>>) => {
  const errors = logs.entries().filter((entry) => entry.level === 'ERROR');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({
    outcome: 'failed',
    reason: 'StorageFailed',
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

describe('a DynamoDB that fails: 5xx FAIL within 2 s, the delivery logged for replay', () => {
  it('refuses connections (closed port)', async () => {
    const result = await deliverDuringFault(`http://127.0.0.1:${await freePort()}`);
    expectStorageFailedInTime(result);
    expectReplayableErrorLog(result);
  });

  it('accepts connections and never answers', async () => {
    fault = await silentDynamo();
    const result = await deliverDuringFault(fault.endpoint);
    expectStorageFailedInTime(result);
    expectReplayableErrorLog(result);
  });

  it('throttles every request (retried, then given up on)', async () => {
    fault = await failingDynamo({ errorType: 'ThrottlingException', statusCode: 400 });
    const result = await deliverDuringFault(fault.endpoint);
    expectStorageFailedInTime(result);
    expectReplayableErrorLog(result);
    expect(fault.received()).toBeGreaterThanOrEqual(2);
  });

  it('answers 500 slowly, every time', async () => {
    fault = await failingDynamo({ errorType: 'InternalServerError', statusCode: 500, delayMs: 1_500 });
    const result = await deliverDuringFault(fault.endpoint);
    expectStorageFailedInTime(result);
    expectReplayableErrorLog(result);
  });

  it('answers within 2 s for every one of 20 concurrent deliveries while it hangs', async () => {
    fault = await silentDynamo();
    logs = captureLogs();
    const handler = await coldFunction(fault.endpoint);
    const startedAt = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        invokeHandler(
          handler,
          tencentEvent({ body: { GroupId: `@TGS#${index}`, EventTime: 1 }, query: signedQuery(Date.now()) }),
        ),
      ),
    );
    expect(performance.now() - startedAt).toBeLessThan(TENCENT_TIMEOUT_MS);
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(20).fill(500));
    expect(logs.entries().filter((entry) => entry.level === 'ERROR' && entry.replay)).toHaveLength(20);
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
