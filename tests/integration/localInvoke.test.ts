import { type AttributeValue, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureEventsTable } from '../../scripts/stack/dynamo/eventsTable.js';
import { LOCAL_TABLE_NAME, serverlessCli, tsxCli } from '../../scripts/stack/localSettings.js';
import { freePort } from '../../scripts/stack/process/freePort.js';
import { startTestTable, type TestTable } from '../support/dynaliteTable.js';
import { runTool } from '../support/runTool.js';

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

/** The two paths on the test's dynalite; asynchronous on purpose: that dynalite runs in this process. */
const run = (args: string[]) =>
  runTool(args, { AWS_ENDPOINT_URL_DYNAMODB: table.dynamo.endpoint, LOG_LEVEL: 'silent' }, 50_000);

/** With no DynamoDB answering where AWS_ENDPOINT_URL_DYNAMODB points: the webhook answers 500 FAIL. */
const runWithoutDynamo = async (args: string[]) =>
  runTool(args, { AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await freePort()}`, LOG_LEVEL: 'silent' }, 50_000);

const serverlessInvokeLocal = (eventFile: string) => [
  serverlessCli,
  'invoke',
  'local',
  '-f',
  'webhook',
  '-p',
  eventFile,
];

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

  it('prints the 500 FAIL envelope and exits 1 when the event cannot be stored', async () => {
    const result = await runWithoutDynamo([tsxCli, 'scripts/tools/invoke.ts', 'events/group-full.json']);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toContain('HTTP 500');
    expect(result.stdout).toContain('"ErrorCode": 50001');
  });
});

describe('serverless invoke local', () => {
  it('runs the bundled function with a sample event against the DynamoDB npm start prepared', async () => {
    await ensureEventsTable(table.client, LOCAL_TABLE_NAME);
    const result = await run(serverlessInvokeLocal('events/group-attr-changed.json'));
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('"statusCode": 200');
    const items = await table.scan(LOCAL_TABLE_NAME);
    expect(eventsIn(items).map((item) => item.command?.S)).toEqual(['Group.CallbackAfterGroupAttrChanged']);
    expect(stateIn(items)?.attributes?.L).toHaveLength(2);
  }, 60_000);

  it('exits 1, as npm run invoke, when the webhook answers 500 (the event could not be stored)', async () => {
    // Act
    const result = await runWithoutDynamo(serverlessInvokeLocal('events/group-full.json'));

    // Assess
    expect(result.stdout).toContain('"statusCode": 500');
    expect(result.stdout + result.stderr).toContain('The function answered HTTP 500: exit code 1 (as npm run invoke).');
    expect(result.status).toBe(1);
  }, 60_000);

  it('exits 1 when the webhook refuses the event (403)', async () => {
    const result = await run(serverlessInvokeLocal('events/rejected-wrong-app.json'));
    expect(result.stdout).toContain('"statusCode": 403');
    expect(result.status).toBe(1);
    expect(await table.scan(LOCAL_TABLE_NAME)).toEqual([]);
  }, 60_000);
});
