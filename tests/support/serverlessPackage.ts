import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot, serverlessCli } from '../../scripts/stack/localSettings.js';
import { envWithoutReceiverSettings } from './childEnv.js';

/** The longest a test waits for its turn and its own `serverless package`, on a busy machine. */
export const PACKAGE_TIMEOUT_MS = 180_000;

/** What every deployed stage needs (give `--stage`); a test adds or overrides one setting at a time. */
export const DEPLOYED_STAGE_PARAMS = [
  '--param',
  'sdkAppId=1400123456',
  '--param',
  'region=eu-west-1',
  '--param',
  'callbackTokenParameter=/chat/prod/callback-token',
];

/**
 * One `serverless package` at a time in this checkout: the framework stages every package in the service's
 * .serverless/ folder and deletes that folder once it has moved the package to `--package`, so two at once (two test
 * files side by side) would delete each other's artifacts. The lock is a folder (mkdir is atomic) holding its
 * holder's pid; a lock whose holder died is taken over.
 */
const lockFolder = join(
  tmpdir(),
  `serverless-package-${createHash('sha256').update(repositoryRoot).digest('hex').slice(0, 16)}.lock`,
);
const holderFile = join(lockFolder, 'pid');
/** A lock without a pid this long after it was made lost its holder between the two steps. */
const PID_WRITE_GRACE_MS = 10_000;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const isStale = (): boolean => {
  try {
    const holder = Number(readFileSync(holderFile, 'utf8'));
    if (Number.isSafeInteger(holder) && holder > 0) return !isAlive(holder);
    return Date.now() - statSync(lockFolder).mtimeMs > PID_WRITE_GRACE_MS;
  } catch {
    return false; // released, or its pid not written yet
  }
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const takeLock = async (): Promise<void> => {
  const giveUpAt = Date.now() + PACKAGE_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(lockFolder);
      writeFileSync(holderFile, String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (isStale()) rmSync(lockFolder, { recursive: true, force: true });
    else if (Date.now() > giveUpAt) throw new Error(`serverless package: ${lockFolder} stayed taken`);
    else await sleep(100);
  }
};

export interface ServerlessRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `work` while no other test in this checkout runs a Serverless command that stages in .serverless/
 * (`package`, or a `deploy` of a package, which copies it there).
 */
export const withServerlessFolder = async <T>(work: () => Promise<T>): Promise<T> => {
  await takeLock();
  try {
    return await work();
  } finally {
    rmSync(lockFolder, { recursive: true, force: true });
  }
};

/**
 * `serverless package <args>` with the local defaults of envWithoutReceiverSettings plus `env`, once no other test
 * is packaging; resolves with its exit status and output. Asynchronous: servers in the test's process keep answering.
 */
export const serverlessPackage = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServerlessRun> =>
  withServerlessFolder(
    () =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          [serverlessCli, 'package', ...args],
          { cwd: repositoryRoot, env: envWithoutReceiverSettings(env), maxBuffer: 16 * 1024 * 1024 },
          (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      }),
  );
