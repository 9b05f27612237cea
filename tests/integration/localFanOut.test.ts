import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalFanOut, startLocalFanOut } from '../../scripts/stack/bus/startLocalFanOut.js';
import { repositoryRoot, tsxCli } from '../../scripts/stack/localSettings.js';
import type { RunningStack } from '../../scripts/stack/runningStack.js';
import { envWithoutReceiverSettings } from '../support/childEnv.js';
import { type HttpReceiver, startHttpReceiver } from '../support/httpReceiver.js';
import { runTool } from '../support/runTool.js';

/**
 * What npm start runs for fan-out (startLocalFanOut: the bus with FORWARD_TO's rules, and the queue), and
 * `npm run events` following it through running-stack.json. The stack record is written here, in a data folder of
 * the test's own, naming this process as npm start.
 */
const SOURCE = 'acme.chat';
const events = (...args: string[]) => [tsxCli, 'scripts/tools/events.ts', ...args];
const publish = (client: EventBridgeClient, groupId: string, detailType = 'Group full') =>
  client.send(
    new PutEventsCommand({
      Entries: [
        { Source: SOURCE, DetailType: detailType, Detail: JSON.stringify({ groupId, deliveryId: `d-${groupId}` }) },
      ],
    }),
  );

/** Starts `npm run events` and collects its stdout lines as they come. */
const followEvents = (env: NodeJS.ProcessEnv, ...args: string[]) => {
  const child = spawn(process.execPath, events(...args), { cwd: repositoryRoot, env: envWithoutReceiverSettings(env) });
  const lines: string[] = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts);
  });
  return { lines, stop: () => child.kill() };
};

describe('the local fan-out, as npm start runs it', () => {
  let dataDir: string;
  let receiver: HttpReceiver;
  let fanOut: LocalFanOut;
  let client: EventBridgeClient;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-fan-out-'));
    receiver = await startHttpReceiver();
    fanOut = await startLocalFanOut({ dataDir, forwardTo: receiver.url, source: SOURCE, region: 'eu-west-1' });
    client = new EventBridgeClient({
      endpoint: fanOut.environment.AWS_ENDPOINT_URL_EVENTBRIDGE,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    env = { LOCAL_DATA_DIR: dataDir };
    const stack: RunningStack = {
      pid: process.pid,
      webhookUrl: 'http://localhost:1/webhook',
      httpPort: 1,
      dynamodbEndpoint: 'http://localhost:2',
      engine: 'dynalite',
      startedAt: new Date().toISOString(),
      eventBusEndpoint: fanOut.eventBusEndpoint,
      unpublishedQueueUrl: fanOut.unpublishedQueueUrl,
    };
    writeFileSync(join(dataDir, 'running-stack.json'), JSON.stringify(stack));
  });
  afterAll(async () => {
    client?.destroy();
    await fanOut?.stop();
    await receiver?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("POSTs the source's events to FORWARD_TO, and only those", async () => {
    // Act
    await publish(client, 'g-forwarded');
    await client.send(new PutEventsCommand({ Entries: [{ Source: 'other', DetailType: 'x', Detail: '{}' }] }));

    // Assess
    await expect.poll(() => receiver.requests.length).toBe(1);
    await fanOut.bus.deliveriesSettled();
    expect(receiver.requests).toHaveLength(1);
    expect(JSON.parse(receiver.requests[0]?.body ?? '')).toMatchObject({
      source: SOURCE,
      detail: { groupId: 'g-forwarded' },
    });
    expect(fanOut.unpublishedQueueUrl).toBe(
      `${fanOut.environment.AWS_ENDPOINT_URL_SQS}/000000000000/unpublished-events`,
    );
  });

  it('refuses a malformed FORWARD_TO in one line naming it, before starting anything', async () => {
    await expect(
      startLocalFanOut({ dataDir, forwardTo: 'not a url', source: SOURCE, region: 'eu-west-1' }),
    ).rejects.toThrow(/^FORWARD_TO: "not a url" is not an http:\/\/ or https:\/\/ URL/);
  });

  it('npm run events prints the published events, past and new, one line each', async () => {
    // Arrange
    await publish(client, 'g-before', 'Group disbanded');
    const follower = followEvents(env);

    // Act
    await expect.poll(() => follower.lines.some((line) => line.includes('g-before')), { timeout: 30_000 }).toBe(true);
    await publish(client, 'g-after', 'Group attributes changed');

    // Assess
    await expect.poll(() => follower.lines.some((line) => line.includes('g-after')), { timeout: 30_000 }).toBe(true);
    follower.stop();
    expect(follower.lines).toContainEqual(
      expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}Group disbanded +g-before {2}d-g-before$/),
    );
    expect(follower.lines).toContainEqual(expect.stringMatching(/Group attributes changed +g-after {2}d-g-after$/));
  }, 60_000);

  it('npm run events -- --json prints each whole envelope', async () => {
    // Arrange
    const follower = followEvents(env, '--json');

    // Act
    await expect.poll(() => follower.lines.length, { timeout: 30_000 }).toBeGreaterThan(0);
    follower.stop();

    // Assess
    expect(JSON.parse(follower.lines[0] ?? '')).toEqual(fanOut.bus.feed.events[0]);
  }, 60_000);

  it('npm run events says in one line to run npm start when none runs', async () => {
    // Arrange
    const empty = mkdtempSync(join(tmpdir(), 'no-stack-'));

    // Act
    const run = await runTool(events(), { LOCAL_DATA_DIR: empty });

    // Assess
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining('run `npm start`')]);
    rmSync(empty, { recursive: true, force: true });
  }, 60_000);
});
