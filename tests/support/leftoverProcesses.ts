import { readdirSync, readFileSync } from 'node:fs';

/**
 * Set in each test file's process (tests/support/testFileSetup.ts) to `<run id>/<file's worker id>`. A child started
 * by the test or its support inherits it with the rest of the environment, and so do the children's children, even
 * once their parent is gone: `npm start` → tsx → start.ts → serverless-offline. Vitest's own processes started
 * before it was set, so their environment never carries it.
 */
export const PROCESS_OWNER_VARIABLE = 'TEST_PROCESS_OWNER';

export const processOwner = (runId: string, fileId: string): string => `${runId}/${fileId}`;

export interface OwnedProcess {
  pid: number;
  command: string;
}

const readProcessFile = (pid: string, file: string): string | undefined => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
};

/** A zombie has exited (its ports are closed) and only waits for its parent to read its status. */
const isRunning = (pid: number): boolean => {
  const stat = readProcessFile(String(pid), 'stat');
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
};

/**
 * The running processes whose environment names an owner that `belongs` accepts (Linux: read from /proc; elsewhere
 * none are found, and only the tests' own clean-up applies).
 */
export const processesOwnedBy = (belongs: (owner: string) => boolean): OwnedProcess[] => {
  if (process.platform !== 'linux') return [];
  const prefix = `${PROCESS_OWNER_VARIABLE}=`;
  const owned: OwnedProcess[] = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    if (Number(pid) === process.pid || !isRunning(Number(pid))) continue;
    const owner = readProcessFile(pid, 'environ')
      ?.split('\0')
      .find((variable) => variable.startsWith(prefix))
      ?.slice(prefix.length);
    if (owner === undefined || !belongs(owner)) continue;
    owned.push({ pid: Number(pid), command: (readProcessFile(pid, 'cmdline') ?? '').split('\0').join(' ').trim() });
  }
  return owned;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const waitUntilGone = async (processes: readonly OwnedProcess[], ms: number): Promise<OwnedProcess[]> => {
  const giveUpAt = Date.now() + ms;
  let running = processes.filter(({ pid }) => isRunning(pid));
  while (running.length > 0 && Date.now() < giveUpAt) {
    await sleep(20);
    running = running.filter(({ pid }) => isRunning(pid));
  }
  return running;
};

/** A process on its way out (a grandchild whose parent just stopped) gets this long to finish by itself. */
const EXIT_GRACE_MS = 2_000;
/** How long a SIGKILLed process may take to be gone, its sockets closed. */
const KILL_WAIT_MS = 5_000;

/**
 * SIGKILLs every process owned as `belongs` says that is still running after a short grace, and resolves once they
 * have exited (their ports free), with what it killed. For what a test's own clean-up (server.stop() and the like)
 * did not stop: a test that threw before it, a grandchild its parent left behind.
 */
export const killProcessesOwnedBy = async (belongs: (owner: string) => boolean): Promise<OwnedProcess[]> => {
  const leftovers = await waitUntilGone(processesOwnedBy(belongs), EXIT_GRACE_MS);
  for (const { pid } of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  await waitUntilGone(leftovers, KILL_WAIT_MS);
  return leftovers;
};

/** One line per process, for the warning that names what a test left running. */
export const describeProcesses = (processes: readonly OwnedProcess[]): string =>
  processes.map(({ pid, command }) => `  ${pid} ${command.slice(0, 200)}`).join('\n');
