import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot, tsxCli } from '../../scripts/stack/localSettings.js';
import { envWithoutReceiverSettings } from '../support/childEnv.js';
import { startTestTable, type TestTable } from '../support/dynaliteTable.js';
import { type LocalServer, startLocalServer } from '../support/localServer.js';

const TOKEN = 'smoke-test-token';
let table: TestTable;
let server: LocalServer;

beforeAll(async () => {
  table = await startTestTable();
  server = await startLocalServer({ CALLBACK_TOKEN: TOKEN, AWS_ENDPOINT_URL_DYNAMODB: table.dynamo.endpoint });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await table?.close();
});

const smoke = (env: NodeJS.ProcessEnv) =>
  new Promise<{ status: number | null; output: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [tsxCli, 'scripts/tools/smoke.ts', `http://localhost:${server.port}/webhook`],
      {
        cwd: repositoryRoot,
        env: envWithoutReceiverSettings({ AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', ...env }),
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('close', (status) => resolve({ status, output }));
  });

describe('npm run smoke against npm start', () => {
  it('sends a signed callback for a group of its own, reads the event back and exits 0', async () => {
    const run = await smoke({ CALLBACK_TOKEN: TOKEN });
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/callback for @SMOKE#\d+ answered OK \(signed\)/);
    expect(run.output).toContain('smoke: OK: the event is stored and readable');
  }, 60_000);

  it('exits 1 naming the step when the receiver refuses the callback', async () => {
    const run = await smoke({ CALLBACK_TOKEN: 'not-the-token' });
    expect(run.status).toBe(1);
    expect(run.output).toContain('smoke: FAIL callback: HTTP 403');
  }, 60_000);
});
