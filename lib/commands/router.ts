import type { EventStore } from '../eventStore/types.js';
import { WebhookOutcome, type WebhookOutcomeName } from '../webhook/outcome.js';
import { GroupCommand } from './constants.js';
import { recordGroupAttrChanged } from './groupAttrChanged.js';
import { recordGroupDestroyed } from './groupDestroyed.js';
import { recordGroupFull } from './groupFull.js';
import type { CommandHandler, CommandHandlers, WebhookDelivery } from './types.js';

/** One handler per recorded CallbackCommand. */
export const recordedCommandHandlers: CommandHandlers = new Map<string, CommandHandler>([
  [GroupCommand.GroupFull, recordGroupFull],
  [GroupCommand.GroupDestroyed, recordGroupDestroyed],
  [GroupCommand.GroupAttrChanged, recordGroupAttrChanged],
]);

export interface ReceiveResult {
  outcome: WebhookOutcomeName;
  command: string;
  groupId?: string;
  /** What did not match the documented shape; the log line is a WARN when there is any. */
  shapeNotes?: string[];
}

/** Routes a verified delivery to its command's handler and records the event; an unrecorded command is ignored. */
export const receiveWebhook = async (
  delivery: WebhookDelivery,
  handlers: CommandHandlers,
  store: EventStore,
): Promise<ReceiveResult> => {
  const handler = handlers.get(delivery.command);
  if (handler === undefined) return { outcome: WebhookOutcome.Ignored, command: delivery.command };
  const event = handler(delivery);
  const result = await store.recordEvent(event);
  return {
    outcome: result,
    command: delivery.command,
    groupId: event.groupId,
    ...(event.shapeNotes.length === 0 ? {} : { shapeNotes: event.shapeNotes }),
  };
};
