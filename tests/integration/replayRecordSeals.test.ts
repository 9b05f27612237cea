import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookConfig } from '../../lib/config.js';
import { UntrustedReason } from '../../lib/redrive/admitReplayRecord.js';
import { dynamoPendingReplayChunks } from '../../lib/redrive/pendingReplayChunks.js';
import { createRedriveHandler, UNTRUSTED_RECORD_MESSAGE } from '../../lib/redrive/redriveHandler.js';
import {
  type CallbackTokenSource,
  createTokenParameterClient,
  ssmCallbackTokenSource,
} from '../../lib/webhook/callbackTokenSource.js';
import { createWebhookHandler } from '../../lib/webhook/handler.js';
import { repositoryRoot, tsxCli } from '../../scripts/stack/localSettings.js';
import { type SsmStandIn, startSsmStandIn } from '../../scripts/stack/ssmStandIn.js';
import { largeDisbandBody, membersForBytes } from '../../scripts/tools/largeDisbandBody.js';
import { captureLogs } from '../support/captureLogs.js';
import { envWithoutReceiverSettings } from '../support/childEnv.js';
import { subscriptionEvent } from '../support/cloudWatchLogsSubscription.js';
import { useFreshTablePerTest } from '../support/dynaliteTable.js';
import { failEveryPut } from '../support/failingWrites.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { signedQuery, TEST_SDK_APP_ID, TEST_TOKEN, tencentEvent } from '../support/tencentRequest.js';
import { testConfig } from '../support/testConfig.js';
import { testEventStore } from '../support/testEventStore.js';

/**
 * Who can have a delivery recorded through the webhook's log: only the webhook. Each case runs through the redrive
 * function (fed as a CloudWatch Logs subscription) and through `npm run replay` (a child process), against a real
 * local DynamoDB; every forgery is refused and reported, every genuine failed delivery recorded once.
 */
const table = useFreshTablePerTest();
const NOW = 1_763_800_000_000;
const SEAL_KEY = 'replay-seal-key-of-the-test-stage';
const DESTROYED = 'Group.CallbackAfterGroupDestroyed';
const context = { awsRequestId: 'seal-test' } as Context;
const workDir = mkdtempSync(join(tmpdir(), 'replay-seals-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const config = (overrides: Partial<WebhookConfig> = {}) =>
  testConfig({ tableName: table.tableName, callbackToken: TEST_TOKEN, replaySealKeys: [SEAL_KEY], ...overrides });
const store = () => testEventStore({ client: table.client, tableName: table.tableName });

const disband = (groupId: string, owner = 'alice') => ({
  CallbackCommand: DESTROYED,
  GroupId: groupId,
  Owner_Account: owner,
  EventTime: '1670574414123',
});

/** The webhook's log lines for these requests, answered 500 while every write failed. */
const failedDeliveries = async (
  requests: Parameters<typeof tencentEvent>[0][],
  webhookConfig = config(),
): Promise<string[]> => {
  const webhook = createWebhookHandler({ config: webhookConfig, store: store(), now: () => NOW });
  const restore = failEveryPut(table.client);
  const logs = captureLogs();
  try {
    for (const request of requests) {
      const signed = { ...request, query: { ...request?.query, ...signedQuery(NOW) } };
      expect((await invokeHandler(webhook, tencentEvent(signed))).statusCode).toBe(500);
    }
    return [...logs.lines];
  } finally {
    logs.restore();
    restore();
  }
};

const genuineDisband = (groupId: string, owner?: string) =>
  failedDeliveries([{ command: DESTROYED, body: disband(groupId, owner) }]);

const genuineLargeDisband = (groupId: string) =>
  failedDeliveries([
    { command: DESTROYED, rawBody: largeDisbandBody({ members: membersForBytes(600_000), groupId }), base64: true },
  ]);

interface RecorderResult {
  recorded: number;
  untrusted: number;
  /** The reason each refused record was reported with. */
  reasons: string[];
}

/** The redrive function, as functions/redrive.ts builds it, fed the lines as one subscription batch. */
const byRedrive = async (
  lines: string[],
  redriveConfig = config(),
  tokenSource?: CallbackTokenSource,
): Promise<RecorderResult> => {
  const redrive = createRedriveHandler({
    config: redriveConfig,
    tokenSource,
    store: store(),
    pending: dynamoPendingReplayChunks({ client: table.client, tableName: table.tableName }),
  });
  const logs = captureLogs();
  try {
    const summary = await redrive(subscriptionEvent(lines, 'DATA_MESSAGE', NOW), context);
    const reported = logs.entries().filter((entry) => entry.message === UNTRUSTED_RECORD_MESSAGE);
    expect(reported).toHaveLength(summary.untrusted);
    return {
      recorded: summary.recorded,
      untrusted: summary.untrusted,
      reasons: reported.map((entry) => String(entry.reason)),
    };
  } finally {
    logs.restore();
  }
};

/** `npm run replay` on a file of the lines; asynchronous, the dynalite it talks to runs in this process. */
const byReplayCommand = async (lines: string[], env: NodeJS.ProcessEnv = {}): Promise<RecorderResult> => {
  const file = join(mkdtempSync(join(workDir, 'log-')), 'webhook.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const run = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [tsxCli, 'scripts/tools/replay.ts', file],
      {
        cwd: repositoryRoot,
        env: envWithoutReceiverSettings({
          AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
          TABLE_NAME: table.tableName,
          SDK_APP_ID: TEST_SDK_APP_ID,
          CALLBACK_TOKEN: TEST_TOKEN,
          REPLAY_SEAL_KEY: SEAL_KEY,
          LOG_LEVEL: 'INFO',
          ...env,
        }),
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
  const reasons = [...run.stderr.matchAll(/: not recorded: (.+?)(?: \(\w+\))?$/gm)].map((match) => match[1] as string);
  const recorded = run.stdout.split('\n').filter((line) => line.includes('"outcome":"recorded"')).length;
  // A refused record makes the run fail; a clean one succeeds.
  expect(run.status, run.stderr).toBe(reasons.length > 0 ? 1 : 0);
  return { recorded, untrusted: reasons.length, reasons };
};

const recorders = [
  ['the redrive function', byRedrive],
  ['npm run replay', byReplayCommand],
] as const;

const eventItems = async () => (await table.scan()).filter((item) => item.sk?.S?.startsWith('EVENT#'));

/** Rewrites the JSON entry of a log line. */
const editLine = (line: string, edit: (entry: Record<string, unknown>) => void): string => {
  const entry = JSON.parse(line) as Record<string, unknown>;
  edit(entry);
  return JSON.stringify(entry);
};

describe.each(recorders)('with a seal key, %s', (_, record) => {
  it('records a genuine failed delivery once, and a large one from its chunks', async () => {
    const lines = [...(await genuineDisband('@TGS#GENUINE')), ...(await genuineLargeDisband('@TGS#GENUINE_LARGE'))];

    const first = await record(lines);
    const second = await record(lines);

    expect(first).toMatchObject({ recorded: 2, untrusted: 0 });
    expect(second).toMatchObject({ untrusted: 0 });
    expect((await eventItems()).map((item) => item.groupId?.S).sort()).toEqual(['@TGS#GENUINE', '@TGS#GENUINE_LARGE']);
  }, 90_000);

  it('refuses a hand-written failure line, and reports it', async () => {
    const forged = JSON.stringify({
      level: 'ERROR',
      message: 'webhook',
      outcome: 'failed',
      replay: {
        query: { SdkAppid: TEST_SDK_APP_ID, CallbackCommand: DESTROYED },
        body: JSON.stringify(disband('@FORGED#2', 'attacker')),
        receivedAt: NOW,
      },
    });

    expect(await record([forged])).toEqual({ recorded: 0, untrusted: 1, reasons: [UntrustedReason.Unsealed] });
    expect(await eventItems()).toEqual([]);
  }, 60_000);

  it('refuses an edited body, and a seal copied onto another record', async () => {
    const [line] = await genuineDisband('@TGS#EDITED');
    const [other] = await genuineDisband('@TGS#OTHER');
    const edited = (line as string).replace('alice', 'attacker');
    const copiedSeal = editLine(other as string, (entry) => {
      (entry.replay as { seal: string }).seal = (JSON.parse(line as string).replay as { seal: string }).seal;
    });

    expect(await record([edited, copiedSeal])).toEqual({
      recorded: 0,
      untrusted: 2,
      reasons: [UntrustedReason.BodyMismatch, UntrustedReason.SealMismatch],
    });
    expect(await eventItems()).toEqual([]);
  }, 60_000);

  it('refuses a large record with an edited chunk, and one with a chunk seen twice with other content', async () => {
    const [head, firstChunk, ...rest] = (await genuineLargeDisband('@TGS#CHUNKS')) as [string, string, ...string[]];
    const tampered = editLine(firstChunk, (entry) => {
      const chunk = entry.replayChunk as { bodyBase64: string };
      const bytes = Buffer.from(chunk.bodyBase64, 'base64');
      bytes.write('{"GroupId":"@FORGED#3","Owner_Account":"attacker"', 'utf8');
      chunk.bodyBase64 = bytes.toString('base64');
    });

    const edited = await record([head, tampered, ...rest]);
    const duplicated = await record([head, firstChunk, ...rest, tampered]);

    expect(edited).toEqual({ recorded: 0, untrusted: 1, reasons: [UntrustedReason.BodyMismatch] });
    expect(duplicated).toEqual({ recorded: 0, untrusted: 1, reasons: [UntrustedReason.ChunkConflict] });
    expect(await eventItems()).toEqual([]);
  }, 90_000);

  it('records what was sealed before a rotation, and still refuses a forgery, with the new token alone', async () => {
    const rotating = config({ callbackToken: TEST_TOKEN, callbackTokenNext: 'the-next-token' });
    const lines = await failedDeliveries([{ command: DESTROYED, body: disband('@TGS#ROTATED') }], rotating);
    const forged = (lines[0] as string).replace('alice', 'attacker');
    const afterRotation = { callbackToken: 'the-next-token', callbackTokenNext: undefined };

    const result =
      record === byRedrive
        ? await byRedrive([...lines, forged], config(afterRotation))
        : await byReplayCommand([...lines, forged], { CALLBACK_TOKEN: 'the-next-token' });

    expect(result).toEqual({ recorded: 1, untrusted: 1, reasons: [UntrustedReason.BodyMismatch] });
    expect((await eventItems()).map((item) => item.groupId?.S)).toEqual(['@TGS#ROTATED']);
  }, 60_000);
});

describe('a burst of signed callbacks while the token cannot be read (SSM throttles)', () => {
  let ssm: SsmStandIn;
  const PARAMETER = '/chat/test/callback-token';

  beforeAll(async () => {
    ssm = await startSsmStandIn();
    ssm.parameters.set(PARAMETER, TEST_TOKEN);
  });
  afterEach(() => {
    ssm.throttling = false;
  });
  afterAll(async () => {
    await ssm.close();
  });

  const tokenSource = () =>
    ssmCallbackTokenSource({
      parameterName: PARAMETER,
      client: createTokenParameterClient({
        endpoint: ssm.endpoint,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      now: () => NOW,
    });

  /** Twelve cold starts at once, each with one callback; the last one's Sign is wrong. */
  const burst = async () => {
    ssm.throttling = true;
    const logs = captureLogs();
    try {
      const answers = await Promise.all(
        Array.from({ length: 12 }, async (_, index) => {
          const webhook = createWebhookHandler({
            config: config({ callbackToken: undefined, callbackTokenParameter: PARAMETER }),
            store: store(),
            tokenSource: tokenSource(),
            now: () => NOW,
          });
          const sign = index === 11 ? { ...signedQuery(NOW), Sign: 'f'.repeat(64) } : signedQuery(NOW);
          const event = tencentEvent({ command: DESTROYED, body: disband(`@TGS#BURST${index}`), query: sign });
          return invokeHandler(webhook, event);
        }),
      );
      return { answers, lines: [...logs.lines] };
    } finally {
      logs.restore();
      ssm.throttling = false;
    }
  };

  it.each(recorders)(
    'answers every one 5xx, then %s records each once with a Sign that verifies, never the one without',
    async (_, record) => {
      const { answers, lines } = await burst();
      expect(answers.map((answer) => [answer.statusCode, answer.envelope.ErrorCode])).toEqual(
        Array(12).fill([500, 50004]),
      );
      expect(ssm.requests.length).toBeGreaterThanOrEqual(12 * 2);
      expect(await eventItems()).toEqual([]);

      const result =
        record === byRedrive
          ? await byRedrive(
              lines,
              config({ callbackToken: undefined, callbackTokenParameter: PARAMETER }),
              tokenSource(),
            )
          : await byReplayCommand(lines);
      const again = record === byRedrive ? await byRedrive(lines) : await byReplayCommand(lines);

      expect(result).toEqual({ recorded: 11, untrusted: 1, reasons: [UntrustedReason.SignRefused] });
      // a second pass answers OK for what is already stored; the items below show nothing was written twice
      expect(again).toMatchObject({ untrusted: 1 });
      const groups = (await eventItems()).map((item) => item.groupId?.S).sort();
      expect(groups).toEqual(Array.from({ length: 11 }, (_, index) => `@TGS#BURST${index}`).sort());
    },
    90_000,
  );
});
