import { type ChildProcess, spawn } from 'node:child_process';
import { repositoryRoot } from '../localSettings.js';
import { freePort } from './freePort.js';

/** Resolves once `child` has printed `text` (stdout or stderr); rejects on exit or after `timeoutMs`. */
export const waitForOutput = (child: ChildProcess, text: string, timeoutMs: number): Promise<void> =>
  new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no "${text}" in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });

export interface LocalServer {
  port: number;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Ctrl-C; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `npm start` as a user runs it, with `env` as its whole environment plus free ports, resolved once
 * serverless-offline says it is ready. start.ts runs in the child itself (`node --import tsx`, as `npm start` runs it),
 * so that stop()'s Ctrl-C reaches it: tsx's CLI would relay it, and SIGKILL start.ts when it has not answered within
 * 30 ms, as on a busy machine, leaving serverless-offline running without it.
 */
export const startLocalServer = async (env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<LocalServer> => {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/stack/start.ts'], {
    cwd: repositoryRoot,
    env: { ...env, PORT: String(port), OFFLINE_LAMBDA_PORT: String(await freePort()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  try {
    await waitForOutput(child, 'Server ready', timeoutMs);
  } catch (error) {
    child.kill('SIGINT');
    throw error;
  }
  return {
    port,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      return exited;
    },
  };
};
