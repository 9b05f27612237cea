import { groupEventFrom, readGroupPayload } from './payload.js';
import type { CommandHandler } from './types.js';

/**
 * Group.CallbackAfterGroupFull: a group is full, or a join just failed because it is.
 * The same group may report full many times; each delivery with its own EventTime is its own event.
 */
export const recordGroupFull: CommandHandler = (delivery) =>
  groupEventFrom(delivery, readGroupPayload(delivery.body), {});
