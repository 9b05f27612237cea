import { execFile } from 'node:child_process';
import { repositoryRoot } from '../../scripts/stack/localSettings.js';
import { envWithoutReceiverSettings } from './childEnv.js';

export interface ToolRun {
  /** The exit code (1 when it was killed). */
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the project's CLIs (`[tsxCli, 'scripts/tools/…']`, `[serverlessCli, …]`) with this Node from the
 * repository, with the local defaults plus `env`. Asynchronous: a DynamoDB the test runs in its own process keeps
 * answering meanwhile.
 */
export const runTool = (args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<ToolRun> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: repositoryRoot, env: envWithoutReceiverSettings(env), timeout: timeoutMs },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
