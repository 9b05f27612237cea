import { execFile } from 'node:child_process';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupStateKey } from '../../lib/groupState/stateItem.js';
import { createWebhookHandler } from '../../lib/webhook/handler.js';
import { ensureEventsTable } from '../../scripts/stack/dynamo/eventsTable.js';
import { LOCAL_TABLE_NAME, repositoryRoot, tsxCli } from '../../scripts/stack/localSettings.js';
import { largeDisbandBody, largeDisbandEvent, membersForBytes } from '../../scripts/tools/largeDisbandBody.js';
import { envWithoutReceiverSettings } from '../support/childEnv.js';
import { startTestTable, type TestTable } from '../support/dynaliteTable.js';
import { inlineStateWebhook } from '../support/inlineStateWebhook.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { tencentEvent } from '../support/tencentRequest.js';
import { testConfig } from '../support/testConfig.js';
import { testEventStore } from '../support/testEventStore.js';

let table: TestTable;

beforeAll(async () => {
  table = await startTestTable();
  await ensureEventsTable(table.client, LOCAL_TABLE_NAME);
  const webhook = inlineStateWebhook(table.client, LOCAL_TABLE_NAME);
  for (const [GroupId, EventTime] of [
    ['@TGS#one', '1'],
    ['@TGS#one', '2'],
    ['@TGS#two', '3'],
  ] as const) {
    await invokeHandler(
      webhook,
      tencentEvent({ body: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId, EventTime } }),
    );
  }
});
afterAll(async () => {
  await table.close();
});

/** Asynchronous: the dynalite the child reads runs in this process. */
const run = (args: string[]): Promise<{ status: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const env = envWithoutReceiverSettings({ AWS_ENDPOINT_URL_DYNAMODB: table.dynamo.endpoint, TABLE_NAME: '' });
    execFile(
      process.execPath,
      [tsxCli, 'scripts/tools/rebuild-state.ts', ...args],
      { cwd: repositoryRoot, env, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('npm run rebuild-state', () => {
  it('restores a deleted state item and prints what changed; a second run changes nothing', async () => {
    // Prepare
    await table.client.send(new DeleteItemCommand({ TableName: LOCAL_TABLE_NAME, Key: groupStateKey('@TGS#one') }));

    // Act
    const first = await run(['--all']);
    const second = await run(['@TGS#one', '@TGS#two']);

    // Assess
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('@TGS#one: created (2 events)\n  groupId: (none) → "@TGS#one"');
    expect(first.stdout).toContain('  fullCount: (none) → 2');
    expect(first.stdout).toContain('@TGS#two: unchanged (1 event)');
    expect(first.stdout).toContain('2 groups: 1 created, 1 unchanged, 0 failed');
    expect(second.stdout).toContain('2 groups: 2 unchanged, 0 failed');
  }, 60_000);

  it('commits the body parts of the groups it rebuilds: they no longer expire', async () => {
    // Prepare: a large event recorded as in AWS, its parts not yet committed by the stream's consumer
    const body = largeDisbandBody({ members: membersForBytes(4 * 1024 * 1024), groupId: '@TGS#large' });
    const webhook = createWebhookHandler({
      config: testConfig({ tableName: LOCAL_TABLE_NAME }),
      store: testEventStore({ client: table.client, tableName: LOCAL_TABLE_NAME }),
    });
    await invokeHandler(webhook, largeDisbandEvent(body));
    const partsOf = async () =>
      (await table.scan(LOCAL_TABLE_NAME)).filter((item) => item.sk?.S?.startsWith('BODYPART#'));
    const written = await partsOf();

    // Act
    const result = await run(['@TGS#large']);

    // Assess
    expect(result.status, result.stderr).toBe(0);
    expect(written.every((part) => part.expiresAt !== undefined)).toBe(true);
    expect(result.stdout).toContain(`  body parts committed: ${written.length}\n`);
    expect((await partsOf()).map((part) => part.expiresAt)).toEqual(written.map(() => undefined));
  }, 60_000);

  it('exits 2 without a group ID or with both IDs and --all', async () => {
    expect((await run([])).status).toBe(2);
    expect((await run(['--all', '@TGS#one'])).status).toBe(2);
  }, 60_000);
});
