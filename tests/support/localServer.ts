import { type LocalServer, startLocalServer as startServer } from '../../scripts/stack/process/localServerProcess.js';
import { envWithoutReceiverSettings } from './childEnv.js';

export type { LocalServer };

/** `npm start` for a test: the local defaults whatever the developer's shell exports, logging at INFO. */
export const startLocalServer = (env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<LocalServer> =>
  startServer(envWithoutReceiverSettings({ LOG_LEVEL: 'info', ...env }), timeoutMs);
