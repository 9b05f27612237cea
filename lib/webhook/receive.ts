import type { EventStore } from '../eventStore/types.js';
import type { CommandHandlers, WebhookDelivery } from '../tencent/delivery.js';
import { WebhookOutcome, type WebhookOutcomeName } from './outcome.js';

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
