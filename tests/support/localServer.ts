import { type LocalServer, startLocalServer as startServer } from '../../scripts/stack/process/localServerProcess.js';
import { envWithoutReceiverSettings } from './childEnv.js';
import { TEST_STORE_DEADLINE_MS } from './testEventStore.js';

export type { LocalServer };

/**
 * `npm start` for a test: the local defaults whatever the developer's shell exports, logging at INFO, and the test
 * store deadline through `npm start`'s own LOCAL_STORE_DEADLINE_MS, so that a burst on a busy machine is still
 * recorded (`env` may set another).
 */
export const startLocalServer = (env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<LocalServer> =>
  startServer(
    envWithoutReceiverSettings({ LOG_LEVEL: 'info', LOCAL_STORE_DEADLINE_MS: String(TEST_STORE_DEADLINE_MS), ...env }),
    timeoutMs,
  );
