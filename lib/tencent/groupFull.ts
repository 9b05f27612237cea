import type { CommandHandler } from './delivery.js';
import { InputLimit } from './limits.js';
import { groupEventFrom, readGroupPayload, readText } from './payload.js';
import { ShapeNotes } from './shapeNotes.js';

/**
 * Group.CallbackAfterGroupFull: a group is full, or a join just failed because it is.
 * The same group may report full many times; each delivery with its own EventTime is its own event.
 * With `TopicId` (Community groups) it is one of the community's topics that is full, not the community.
 */
export const recordGroupFull: CommandHandler = (delivery) => {
  const notes = new ShapeNotes();
  const payload = readGroupPayload(delivery, notes);
  return groupEventFrom(
    delivery,
    payload,
    { topicId: readText(delivery.body, 'TopicId', InputLimit.groupIdLength, notes) },
    notes,
  );
};
