import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { PROBE_REPORT_FD } from './probeChannel.js';

const readAll = async (stream: Readable | null | undefined): Promise<string> => {
  if (!stream) return '';
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
};

/**
 * Runs a bundled probe in a fresh Node process (plain `node`, no loader hooks) with the function's environment;
 * the function's stdout is discarded, as cheap as Lambda's log capture; resolves with the probe's report.
 */
export const spawnProbe = async <Report>(probePath: string, input: unknown, env: NodeJS.ProcessEnv): Promise<Report> => {
  const child = spawn(process.execPath, [probePath, JSON.stringify(input)], {
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const [stderr, report, exitCode] = await Promise.all([
    readAll(child.stderr),
    readAll(child.stdio[PROBE_REPORT_FD] as Readable | null),
    exited,
  ]);
  if (exitCode !== 0 || report === '') throw new Error(`probe ${probePath} failed (exit ${exitCode}):\n${stderr}`);
  return JSON.parse(report) as Report;
};
