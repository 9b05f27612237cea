import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface EmbeddedDynamo {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * A real DynamoDB API (dynalite) in this process: in memory, or persisted with LevelDB under `path`.
 * Port 0 picks a free port.
 */
export const startEmbeddedDynamo = async ({
  port = 0,
  path,
}: {
  port?: number;
  path?: string;
} = {}): Promise<EmbeddedDynamo> => {
  if (path) mkdirSync(path, { recursive: true });
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    endpoint: `http://localhost:${boundPort}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
};
