import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureEventsTable } from '../../scripts/stack/dynamo/eventsTable.js';
import { LOCAL_TABLE_NAME, repositoryRoot, tsxCli } from '../../scripts/stack/localSettings.js';
import { envWithoutReceiverSettings } from '../support/childEnv.js';
import { startTestTable, type TestTable } from '../support/dynaliteTable.js';
import { inlineStateWebhook } from '../support/inlineStateWebhook.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { tencentEvent } from '../support/tencentRequest.js';

let table: TestTable;
let deployedTable: string;

const record = async (tableName: string) => {
  await invokeHandler(inlineStateWebhook(table.client, tableName), tencentEvent());
};

beforeAll(async () => {
  table = await startTestTable();
  await ensureEventsTable(table.client, LOCAL_TABLE_NAME);
  await record(LOCAL_TABLE_NAME);
  deployedTable = await table.createTable();
  await record(deployedTable);
});
afterAll(async () => {
  await table.close();
});

/** Asynchronous: the dynalite the child reads runs in this process. */
const run = (args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsxCli, 'scripts/tools/group.ts', ...args],
      { cwd: repositoryRoot, env: envWithoutReceiverSettings(env), timeout: 30_000 },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('npm run group', () => {
  it('prints the state and the recent events from the local store', async () => {
    const result = await run(['@TGS#2J4SZEAEL'], { AWS_ENDPOINT_URL_DYNAMODB: table.dynamo.endpoint, TABLE_NAME: '' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`table ${LOCAL_TABLE_NAME} (local DynamoDB at ${table.dynamo.endpoint}`);
    expect(result.stdout).toContain('"fullCount": 1');
    expect(result.stdout).toContain('Last 1 events, newest first:');
    expect(result.stdout).toContain('2022-12-09T08:26:54.123Z  Group.CallbackAfterGroupFull');
  }, 40_000);

  it("reads the table TABLE_NAME names through the SDK's own settings (as for a deployed table)", async () => {
    const result = await run(['@TGS#2J4SZEAEL', '--limit', '5'], {
      TABLE_NAME: deployedTable,
      AWS_ENDPOINT_URL_DYNAMODB: table.dynamo.endpoint,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`table ${deployedTable} (AWS)`);
    expect(result.stdout).toContain('"lastFullAt": 1670574414123');
  }, 40_000);

  it('exits 1 for a group never seen, 2 without a group ID', async () => {
    const env = { AWS_ENDPOINT_URL_DYNAMODB: table.dynamo.endpoint, TABLE_NAME: '' };
    expect((await run(['@TGS#never'], env)).status).toBe(1);
    expect((await run([], env)).status).toBe(2);
  }, 40_000);
});
