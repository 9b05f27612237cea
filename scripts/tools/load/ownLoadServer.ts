import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { LOCAL_SDK_APP_ID, repositoryRoot } from '../../stack/localSettings.js';
import { freePort } from '../../stack/process/freePort.js';
import { type LocalServer, startLocalServer, waitForOutput } from '../../stack/process/localServerProcess.js';

export interface OwnLoadServer {
  webhookUrl: URL;
  sdkAppId: string;
  token: string;
  /** Everything the server printed. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `npm run load`'s own server: `npm start` (serverless-offline) with a callback token, so every request is
 * signed, on a fresh in-memory dynalite in a process of its own, with a data folder of its own (so a running
 * `npm start` is neither used nor in the way).
 */
export const startOwnLoadServer = async (token: string): Promise<OwnLoadServer> => {
  const dynamoPort = await freePort();
  const dynamo = spawn(
    process.execPath,
    [
      join(repositoryRoot, 'node_modules', 'dynalite', 'cli.js'),
      '--port',
      String(dynamoPort),
      '--createTableMs',
      '0',
      '--host',
      '127.0.0.1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let server: LocalServer | undefined;
  const stop = async () => {
    await server?.stop();
    dynamo.kill('SIGTERM');
  };
  try {
    await waitForOutput(dynamo, 'listening at', 10_000);
    server = await startLocalServer({
      ...process.env,
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${dynamoPort}`,
      SDK_APP_ID: LOCAL_SDK_APP_ID,
      CALLBACK_TOKEN: token,
      LOG_LEVEL: process.env.LOAD_LOG_LEVEL ?? 'ERROR',
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const started = server;
  return {
    webhookUrl: new URL(`http://127.0.0.1:${started.port}/webhook`),
    sdkAppId: LOCAL_SDK_APP_ID,
    token,
    output: () => started.output(),
    stop,
  };
};
