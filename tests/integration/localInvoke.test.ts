import { execFile } from 'node:child_process';
import { type AttributeValue, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureEventsTable } from '../../scripts/stack/dynamo/eventsTable.js';
import { LOCAL_TABLE_NAME, repositoryRoot, serverlessCli, tsxCli } from '../../scripts/stack/localSettings.js';
import { envWithoutReceiverSettings } from '../support/childEnv.js';
import { startTestTable, type TestTable } from '../support/dynaliteTable.js';

/**
 * The two local invoke paths a user has: `npm run invoke` and `serverless invoke local`, each pointed with
 * AWS_ENDPOINT_URL_DYNAMODB at a dynalite this test owns (what `npm start` would otherwise provide).
 */
let table: TestTable;

beforeAll(async () => {
  table = await startTestTable();
});
afterAll(async () => {
  await table.close();
});
beforeEach(async () => {
  await table.client.send(new DeleteTableCommand({ TableName: LOCAL_TABLE_NAME })).catch(() => undefined);
});

const eventsIn = (items: Record<string, AttributeValue>[]) => items.filter((item) => item.sk?.S?.startsWith('EVENT#'));
const stateIn = (items: Record<string, AttributeValue>[]) => items.find((item) => item.sk?.S === 'STATE');

/** Asynchronous on purpose: the dynalite the child talks to runs in this process's event loop. */
const run = (args: string[]): Promise<{ status: number; stdout: string; stderr: string }> => {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      {
        cwd: repositoryRoot,
        env: envWithoutReceiverSettings({ AWS_ENDPOINT_URL_DYNAMODB: table.dynamo.endpoint, LOG_LEVEL: 'silent' }),
        timeout: 50_000,
      },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
};

describe('npm run invoke', () => {
  it('prints the OK envelope for a sample event and records it', async () => {
    const result = await run([tsxCli, 'scripts/tools/invoke.ts', 'events/group-destroyed.json']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('HTTP 200');
    expect(result.stdout).toContain('"ActionStatus": "OK"');
    const items = await table.scan(LOCAL_TABLE_NAME);
    expect(eventsIn(items).map((item) => item.command?.S)).toEqual(['Group.CallbackAfterGroupDestroyed']);
    // GROUP_STATE_UPDATES=inline, as for every local tool: the group's state item is written too.
    expect(stateIn(items)).toMatchObject({ destroyed: { BOOL: true }, name: { S: 'MyFirstGroup' } });
  });

  it('prints the FAIL envelope for a rejected sample, exits 1 and records nothing', async () => {
    const result = await run([tsxCli, 'scripts/tools/invoke.ts', 'events/rejected-wrong-app.json']);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toContain('HTTP 403');
    expect(result.stdout).toContain('"ErrorCode": 40301');
    expect(await table.scan(LOCAL_TABLE_NAME)).toEqual([]);
  });
});

describe('serverless invoke local', () => {
  it('runs the bundled function with a sample event against the DynamoDB npm start prepared', async () => {
    await ensureEventsTable(table.client, LOCAL_TABLE_NAME);
    const result = await run([
      serverlessCli,
      'invoke',
      'local',
      '-f',
      'webhook',
      '-p',
      'events/group-attr-changed.json',
    ]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('"statusCode": 200');
    const items = await table.scan(LOCAL_TABLE_NAME);
    expect(eventsIn(items).map((item) => item.command?.S)).toEqual(['Group.CallbackAfterGroupAttrChanged']);
    expect(stateIn(items)?.attributes?.L).toHaveLength(2);
  }, 60_000);
});
