import { type ChildProcess, spawn } from 'node:child_process';
import { repositoryRoot, tsxCli } from '../../scripts/localSettings.js';
import { envWithoutReceiverSettings } from './childEnv.js';
import { freePort } from './freePort.js';

export interface LocalServer {
  port: number;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Ctrl-C; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** `npm start` as a user runs it, on free ports, resolved once serverless-offline says it is ready. */
export const startLocalServer = async (env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<LocalServer> => {
  const port = await freePort();
  const child = spawn(process.execPath, [tsxCli, 'scripts/start-local.ts'], {
    cwd: repositoryRoot,
    env: envWithoutReceiverSettings({ PORT: String(port), OFFLINE_LAMBDA_PORT: String(await freePort()), LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local server not ready in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Server ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`local server exited with ${code}:\n${output}`)));
  });
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
