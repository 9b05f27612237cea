import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EVENT_SORT_KEY_PREFIX } from '../../lib/dynamo/tableKeys.js';
import { scanAllItems } from '../../scripts/stack/dynamo/eventsTable.js';
import { localDynamoClient } from '../../scripts/stack/dynamo/localDynamoClient.js';
import { LOCAL_TABLE_NAME, repositoryRoot, tsxCli } from '../../scripts/stack/localSettings.js';
import { freePort } from '../../scripts/stack/process/freePort.js';
import type { RunningStack } from '../../scripts/stack/runningStack.js';
import { describeOnEachEngine, TestEngine } from '../support/dynaliteTable.js';
import { documentedDetail } from '../support/eventSchemas.js';
import { type HttpReceiver, startHttpReceiver } from '../support/httpReceiver.js';
import { type LocalServer, startLocalServer } from '../support/localServer.js';
import { postLikeTencent } from '../support/rawHttp.js';
import { runTool } from '../support/runTool.js';

/** An API Gateway sample of events/ as the request Tencent sends: its query and its body's bytes. */
const tencentRequestOf = (file: string): { path: string; body: string } => {
  const sample = JSON.parse(readFileSync(join(repositoryRoot, 'events', file), 'utf8')) as {
    queryStringParameters?: Record<string, string>;
    body?: string;
    isBase64Encoded?: boolean;
  };
  const body = sample.isBase64Encoded ? Buffer.from(sample.body ?? '', 'base64').toString('utf8') : (sample.body ?? '');
  return { path: `/webhook?${new URLSearchParams(sample.queryStringParameters ?? {})}`, body };
};

const ENVELOPE_KEYS = ['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version'];
/** After the last expected event arrived, how long the test goes on watching for one more. */
const QUIET_AFTER_MS = 3_000;

// npm start publishes each recorded event to its local bus, which POSTs it to FORWARD_TO: the same publish function
// on both engines, fed by DynamoDB Local's stream or, on dynalite, by the table scan feed.
describeOnEachEngine('npm start on %s, with FORWARD_TO at a real HTTP endpoint', (engine) => {
  let receiver: HttpReceiver;
  let server: LocalServer;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    server = await startLocalServer(
      {
        FORWARD_TO: receiver.url,
        DYNAMODB_PORT: String(await freePort()),
        ...(engine === TestEngine.DynamodbLocal ? { LOCAL_DYNAMODB: 'dynamodb-local' } : {}),
      },
      180_000,
    );
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it("delivers every recorded event of the sample set once, in EventBridge's envelope, and nothing else", async () => {
    // Act: every sample, each sent twice (Tencent's retry): refused, unrecorded, recorded and duplicate deliveries
    const samples = readdirSync(join(repositoryRoot, 'events'));
    for (const file of samples) {
      const { path, body } = tencentRequestOf(file);
      for (let delivery = 0; delivery < 2; delivery += 1) await postLikeTencent(server.port, path, body);
    }

    // Assess: what the table holds is what arrives
    const stack = JSON.parse(readFileSync(join(server.dataDirectory, 'running-stack.json'), 'utf8')) as RunningStack;
    const client = localDynamoClient(stack.dynamodbEndpoint);
    const recorded = (await scanAllItems(client, LOCAL_TABLE_NAME))
      .filter((item) => item.sk?.S?.startsWith(EVENT_SORT_KEY_PREFIX))
      .map((item) => item.deliveryId?.S);
    client.destroy();
    expect(recorded.length).toBeGreaterThanOrEqual(10);
    await expect.poll(() => receiver.requests.length, { timeout: 60_000, interval: 200 }).toBe(recorded.length);
    await new Promise((resolve) => setTimeout(resolve, QUIET_AFTER_MS));
    expect(receiver.requests).toHaveLength(recorded.length);

    const events = receiver.requests.map((request) => {
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/json');
      return JSON.parse(request.body) as Record<string, unknown>;
    });
    for (const event of events) {
      expect(Object.keys(event).sort()).toEqual(ENVELOPE_KEYS);
      expect(event).toMatchObject({ version: '0', source: 'tencent-chat.group-webhooks', region: 'eu-west-1' });
      documentedDetail(event['detail-type'] as string, JSON.stringify(event.detail));
    }
    const delivered = events.map((event) => (event.detail as { deliveryId: string }).deliveryId);
    expect(new Set(delivered).size).toBe(delivered.length);
    expect([...delivered].sort()).toEqual([...recorded].sort());
  }, 120_000);

  it("publishes a group's recorded events again with npm run republish, each with the deliveryId it had", async () => {
    // Arrange: what the first test delivered
    const before = receiver.requests.map((request) => JSON.parse(request.body).detail.deliveryId as string);
    const ofGroup = receiver.requests.filter((request) => JSON.parse(request.body).detail.groupId === '@TGS#2J4SZEAEL');
    expect(ofGroup.length).toBeGreaterThan(0);

    // Act
    const run = await runTool([tsxCli, 'scripts/tools/republish.ts', '@TGS#2J4SZEAEL'], {
      LOCAL_DATA_DIR: server.dataDirectory,
    });

    // Assess
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`${ofGroup.length} events published again`);
    expect(run.status).toBe(0);
    await expect.poll(() => receiver.requests.length, { timeout: 30_000 }).toBe(before.length + ofGroup.length);
    const again = receiver.requests.slice(before.length).map((request) => JSON.parse(request.body).detail);
    for (const detail of again) {
      expect(detail.groupId).toBe('@TGS#2J4SZEAEL');
      expect(before).toContain(detail.deliveryId);
    }
  }, 90_000);
});
