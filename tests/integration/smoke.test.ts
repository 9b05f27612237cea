import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsxCli } from '../../scripts/stack/localSettings.js';
import { withoutAwsCredentials } from '../support/childEnv.js';
import { startTestTable, type TestTable } from '../support/dynaliteTable.js';
import { type LocalServer, startLocalServer } from '../support/localServer.js';
import { runTool } from '../support/runTool.js';

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

/** No AWS credentials anywhere: a local URL's read routes are open, nothing is signed. */
const smoke = (env: NodeJS.ProcessEnv) =>
  runTool([tsxCli, 'scripts/tools/smoke.ts', `http://localhost:${server.port}/webhook`], {
    ...withoutAwsCredentials(),
    ...env,
  }).then(({ status, stdout, stderr }) => ({ status, output: stdout + stderr }));

describe('npm run smoke against npm start', () => {
  it('sends a signed callback for a group of its own, reads it back with no AWS credentials, exits 0', async () => {
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
