import { rebuildGroupState } from '../../../lib/groupState/store.js';
import { describeError } from '../../../lib/log.js';
import { localDynamoClient } from '../dynamo/localDynamoClient.js';
import { repeatUntilStopped } from '../process/repeatUntilStopped.js';
import { staleGroupIds } from './staleGroups.js';

/** The shortest pause between two sweeps; longer when a sweep takes long (a big local table). */
const SWEEP_INTERVAL_MS = 5_000;

/**
 * `npm start` with inline updates (dynalite has no stream): what the stream guarantees in AWS, that every
 * recorded event reaches its state, even when the server died between the two writes (background repairs
 * with it) or another process won the race for a state. Every few seconds the groups whose
 * state counts fewer events than the table holds are replayed. Stops with the server.
 */
export const startStateSweeper = (endpoint: string, tableName: string): { stop(): Promise<void> } => {
  const client = localDynamoClient(endpoint);
  const sweeps = repeatUntilStopped(
    async (isRunning) => {
      for (const groupId of await staleGroupIds(client, tableName)) {
        if (!isRunning()) break;
        const result = await rebuildGroupState({ client, tableName }, groupId);
        if (result.outcome !== 'unchanged')
          console.log(`group state of ${groupId}: ${result.outcome} from ${result.events} events`);
      }
    },
    { minPauseMs: SWEEP_INTERVAL_MS, onError: (error) => console.error(`group state sweep: ${describeError(error)}`) },
  );
  return {
    async stop() {
      await sweeps.stop();
      client.destroy();
    },
  };
};
