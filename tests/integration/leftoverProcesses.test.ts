import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { portIsFree } from '../../scripts/stack/process/busyPort.js';
import { killProcessesOwnedBy, PROCESS_OWNER_VARIABLE, processesOwnedBy } from '../support/leftoverProcesses.js';

/**
 * What kills a test file's leftovers (tests/support/testFileSetup.ts; the run's teardown does the same for every
 * file): a server the test never stopped, and the grandchild its parent left behind when it exited.
 */
const thisFile = process.env[PROCESS_OWNER_VARIABLE] as string;

/** A node process that listens on a free port, and first starts another one that outlives it when `orphan`. */
const LISTENER = `
const { spawn } = require('node:child_process');
const { createServer } = require('node:net');
const listen = () => {
  const server = createServer().listen(0, '127.0.0.1', () => console.log(server.address().port));
};
if (process.argv[1] === 'orphan') {
  const child = spawn(process.execPath, ['-e', process.argv[2]], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.once('data', (port) => { process.stdout.write(port); process.exit(0); });
} else listen();
`;

const started: ChildProcess[] = [];

/** Starts the listener (or the parent of an orphaned one) and resolves with the port once it listens. */
const startListener = async (mode: 'server' | 'orphan', env: NodeJS.ProcessEnv = process.env): Promise<number> => {
  const child = spawn(process.execPath, ['-e', LISTENER, mode, LISTENER], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(child);
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return Number(line);
};

afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
});

describe("a test file's leftover processes", () => {
  it('are killed, a server and an orphaned grandchild alike, gone once the kill returns', async () => {
    // Prepare: both inherit this file's environment, as every process a test starts does
    const serverPort = await startListener('server');
    const orphanPort = await startListener('orphan');

    // Act
    const killed = await killProcessesOwnedBy((owner) => owner === thisFile);

    // Assess: both are gone once the kill returns; their ports are free then, unless another test's connection
    // happened to take one as its ephemeral local port meanwhile (a busy runner has thousands), so they are polled
    expect(killed).toHaveLength(2);
    expect(processesOwnedBy((owner) => owner === thisFile)).toEqual([]);
    await expect.poll(() => portIsFree(serverPort), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => portIsFree(orphanPort), { timeout: 10_000 }).toBe(true);
  });

  it("leave alone a process without this file's mark (another file's, another run's, vitest's own)", async () => {
    // Prepare
    const otherPort = await startListener('server', { ...process.env, [PROCESS_OWNER_VARIABLE]: 'another-run/1' });

    // Act
    const killed = await killProcessesOwnedBy((owner) => owner === thisFile);

    // Assess
    expect(killed).toEqual([]);
    expect(await portIsFree(otherPort)).toBe(false);
  });
});
