import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot, tsxCli } from '../../scripts/stack/localSettings.js';
import { portIsFree } from '../../scripts/stack/process/busyPort.js';
import { freePort } from '../../scripts/stack/process/freePort.js';
import { waitForOutput } from '../../scripts/stack/process/localServerProcess.js';
import { envWithoutReceiverSettings } from '../support/childEnv.js';

const workDir = mkdtempSync(join(tmpdir(), 'operator-commands-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const exitOf = (child: ChildProcess) =>
  new Promise<{ status: number | null; output: string }>((resolve) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('close', (status) => resolve({ status, output }));
  });

describe('npm run replay', () => {
  it('exits 1 and names the file when a file holds no logged delivery, before touching any DynamoDB', async () => {
    const file = join(workDir, 'no-failures.log');
    writeFileSync(file, '{"level":"INFO","message":"webhook","outcome":"recorded"}\n');

    const run = await exitOf(
      spawn(process.execPath, [tsxCli, 'scripts/tools/replay.ts', file], {
        cwd: repositoryRoot,
        env: envWithoutReceiverSettings(),
      }),
    );

    expect(run.status).toBe(1);
    expect(run.output).toContain(`${file}: no logged delivery to replay`);
  });
});

describe('npm start', () => {
  it('names a busy port in one line and exits 1', async () => {
    const busy: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => busy.listen(port, resolve));
    try {
      const env = envWithoutReceiverSettings({ PORT: String(port), DYNAMODB_PORT: String(await freePort()) });
      const run = await exitOf(
        spawn(process.execPath, [tsxCli, 'scripts/stack/start.ts'], { cwd: repositoryRoot, env }),
      );

      expect(run.status).toBe(1);
      expect(run.output.trim()).toBe(
        `Port ${port} is already in use: stop what listens there, or set PORT to another port.`,
      );
    } finally {
      busy.close();
    }
  });

  it('stops serverless-offline and its DynamoDB when npm receives SIGTERM, as on Ctrl-C', async () => {
    const [port, dynamoPort, lambdaPort] = [await freePort(), await freePort(), await freePort()];
    const npm = spawn('npm', ['start'], {
      cwd: repositoryRoot,
      env: envWithoutReceiverSettings({
        PORT: String(port),
        DYNAMODB_PORT: String(dynamoPort),
        OFFLINE_LAMBDA_PORT: String(lambdaPort),
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = exitOf(npm);
    await waitForOutput(npm, 'Server ready', 90_000);

    npm.kill('SIGTERM');
    await exited;

    await expect.poll(() => portIsFree(port), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => portIsFree(dynamoPort), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => portIsFree(lambdaPort), { timeout: 15_000 }).toBe(true);
  }, 120_000);
});
