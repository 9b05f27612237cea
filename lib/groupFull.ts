import * as z from 'zod/mini';
import type { CommandHandler } from './commandHandler.js';
import { groupEventFrom, groupPayloadShape, parseGroupPayload } from './groupPayload.js';

/**
 * Group.CallbackAfterGroupFull: a group is full, or a join just failed because it is.
 * The same group may report full many times; each delivery with its own EventTime is its own event.
 */
const groupFullPayload = z.object({ ...groupPayloadShape });

export const recordGroupFull: CommandHandler = (delivery) => {
  const payload = parseGroupPayload(groupFullPayload, delivery.body);
  return groupEventFrom(delivery, payload, {});
};
