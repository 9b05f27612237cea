import { GroupStateUpdates, readGroupStateUpdates, readTableName } from '../../../lib/config.js';
import type { LocalDynamo } from '../dynamo/localDynamo.js';
import { followTableStream } from './followTableStream.js';
import { startStateSweeper } from './stateSweeper.js';

/**
 * What keeps `npm start`'s group states the replay of their events beside the function: on DynamoDB Local
 * the table's stream feeding the groupState function; with inline updates (the `local` stage's default) a
 * sweeper that replays any group whose state missed an event; with GROUP_STATE_UPDATES=stream on dynalite,
 * nothing (no state is kept, as when measuring the AWS path's write cost).
 */
export const startGroupStateFollower = (
  dynamo: LocalDynamo,
  env: NodeJS.ProcessEnv = process.env,
): { stop(): Promise<void> } | undefined => {
  if (dynamo.streams) return followTableStream(dynamo.endpoint, { functionName: 'groupState' }, env);
  const updates = readGroupStateUpdates({ GROUP_STATE_UPDATES: GroupStateUpdates.Inline, ...env });
  return updates === GroupStateUpdates.Inline ? startStateSweeper(dynamo.endpoint, readTableName(env)) : undefined;
};
