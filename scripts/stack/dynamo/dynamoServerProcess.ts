import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { tsxCli } from '../localSettings.js';

export interface DynamoServerProcess {
  endpoint: string;
  stop(): Promise<void>;
}

const serverScript = fileURLToPath(new URL('./dynamoServer.ts', import.meta.url));

/** Starts dynalite in a child process and waits for its endpoint. */
export const startDynamoServerProcess = async (): Promise<DynamoServerProcess> => {
  const child = spawn(process.execPath, [tsxCli, serverScript], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`dynalite process exited (${code}) before it listened`)));
  });
  const { endpoint } = JSON.parse(firstLine) as { endpoint: string };
  return {
    endpoint,
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
};
