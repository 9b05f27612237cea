import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describeError } from '../../../lib/log.js';
import { repeatUntilStopped } from '../process/repeatUntilStopped.js';
import { localDynamoClient } from './localDynamoClient.js';
import { deleteExpiredItems } from './timeToLive.js';

/** The shortest pause between two sweeps: DynamoDB's own TTL takes up to days, a minute is plenty. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * `npm start` on a DynamoDB it started (dynalite or DynamoDB Local): the table's TTL, as in AWS. Every minute the items
 * past their `expiresAt` are deleted (deleteExpiredItems), after `beforeEachSweep`, if any, has run: on an engine
 * without a stream, the commit of body parts that the stream's consumer does in AWS. Stops with the server.
 */
export const startTimeToLiveSweeper = (
  endpoint: string,
  tableName: string,
  { beforeEachSweep }: { beforeEachSweep?: (client: DynamoDBClient) => Promise<void> } = {},
): { stop(): Promise<void> } => {
  const client = localDynamoClient(endpoint);
  const sweeps = repeatUntilStopped(
    async () => {
      await beforeEachSweep?.(client);
      const deleted = await deleteExpiredItems(client, tableName, Math.floor(Date.now() / 1000));
      if (deleted > 0) console.log(`time to live: ${deleted} expired item${deleted === 1 ? '' : 's'} deleted`);
    },
    { minPauseMs: SWEEP_INTERVAL_MS, onError: (error) => console.error(`time to live sweep: ${describeError(error)}`) },
  );
  return {
    async stop() {
      await sweeps.stop();
      client.destroy();
    },
  };
};
