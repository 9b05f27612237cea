import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot, tsxCli } from '../../scripts/stack/localSettings.js';
import { portIsFree } from '../../scripts/stack/process/busyPort.js';
import { freePort } from '../../scripts/stack/process/freePort.js';
import { waitForOutput } from '../../scripts/stack/process/localServerProcess.js';
import { RUNNING_STACK_RECORDED } from '../../scripts/stack/runningStack.js';
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
      const env = envWithoutReceiverSettings({
        PORT: String(port),
        DYNAMODB_PORT: String(await freePort()),
        LOCAL_DATA_DIR: workDir,
      });
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

  it('stops serverless-offline and its DynamoDB, and removes running-stack.json, on SIGTERM to npm', async () => {
    // Prepare
    const [port, dynamoPort, lambdaPort] = [await freePort(), await freePort(), await freePort()];
    const dataDirectory = join(workDir, 'sigterm');
    const npm = spawn('npm', ['start'], {
      cwd: repositoryRoot,
      env: envWithoutReceiverSettings({
        PORT: String(port),
        DYNAMODB_PORT: String(dynamoPort),
        OFFLINE_LAMBDA_PORT: String(lambdaPort),
        LOCAL_DATA_DIR: dataDirectory,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = exitOf(npm);
    try {
      await waitForOutput(npm, RUNNING_STACK_RECORDED, 90_000);
      expect(existsSync(join(dataDirectory, 'running-stack.json'))).toBe(true);

      // Act
      npm.kill('SIGTERM');
      await exited;
    } finally {
      // A failed wait must not leave the stack running: npm passes SIGTERM on.
      if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGTERM');
    }

    // Assess
    await expect.poll(() => portIsFree(port), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => portIsFree(dynamoPort), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => portIsFree(lambdaPort), { timeout: 15_000 }).toBe(true);
    expect(existsSync(join(dataDirectory, 'running-stack.json'))).toBe(false);
  }, 120_000);
});
