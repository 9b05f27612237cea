import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '../localSettings.js';
import { RUNNING_STACK_RECORDED } from '../runningStack.js';
import { freePort } from './freePort.js';

/** Resolves once `child` has printed `text` (stdout or stderr); rejects on exit or after `timeoutMs`. */
export const waitForOutput = (child: ChildProcess, text: string, timeoutMs: number): Promise<void> =>
  new Promise((resolve, reject) => {
    let output = '';
    const settle = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => settle(new Error(`no "${text}" in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) settle();
    };
    const onExit = (code: number | null) => settle(new Error(`exited with ${code}:\n${output}`));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });

export interface LocalServer {
  port: number;
  /** Its LOCAL_DATA_DIR: where it keeps its data and its running-stack.json; give it to a tool to find it. */
  dataDirectory: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Ctrl-C; resolves with the exit code, once its temporary data folder (if any) is removed. */
  stop(): Promise<number | null>;
}

const startLocalServerOnce = async (env: NodeJS.ProcessEnv, timeoutMs: number): Promise<LocalServer> => {
  const port = await freePort();
  const givenData = env.LOCAL_DATA_DIR;
  const dataDirectory = givenData || mkdtempSync(join(tmpdir(), 'local-server-'));
  const removeTemporaryData = () => {
    if (!givenData) rmSync(dataDirectory, { recursive: true, force: true });
  };
  // One process, as `npm start` runs it: tsx's CLI would put a relay in front that SIGKILLs start.ts when it does
  // not acknowledge a signal within 30 ms (a busy machine), leaving serverless-offline running without it.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/stack/start.ts'], {
    cwd: repositoryRoot,
    env: { ...env, PORT: String(port), OFFLINE_LAMBDA_PORT: String(await freePort()), LOCAL_DATA_DIR: dataDirectory },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  void exited.then(removeTemporaryData);
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  try {
    await waitForOutput(child, RUNNING_STACK_RECORDED, timeoutMs);
  } catch (error) {
    child.kill('SIGINT');
    throw error;
  }
  return {
    port,
    dataDirectory,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      return exited;
    },
  };
};

/** What npm start (or serverless-offline under it) prints when a port it was given is taken. */
const PORT_TAKEN = /EADDRINUSE|is already in use/;
/** Tries with fresh ports when one was taken between its choice and npm start's bind (another process got it). */
const ATTEMPTS_WHEN_A_PORT_IS_TAKEN = 3;

/**
 * `npm start` as a user runs it, with `env` as its whole environment plus free ports, resolved once it has
 * recorded itself for the local tools (after serverless-offline is ready). Unless `env` names a LOCAL_DATA_DIR,
 * it gets a temporary one of its own: it is never taken for (or refused by) the developer's `npm start` on .data/.
 * A free port can be taken by another process before npm start binds it (a busy machine runs many servers): then
 * it starts again on other free ports.
 */
export const startLocalServer = async (env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<LocalServer> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startLocalServerOnce(env, timeoutMs);
    } catch (error) {
      if (attempt >= ATTEMPTS_WHEN_A_PORT_IS_TAKEN || !PORT_TAKEN.test((error as Error).message)) throw error;
    }
  }
};
