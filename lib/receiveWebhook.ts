import { commandHandlers } from './commandRouter.js';
import type { EventStore } from './eventStore.js';
import type { WebhookDelivery } from './webhookDelivery.js';
import { WebhookOutcome, type WebhookOutcomeName } from './webhookOutcome.js';

export interface ReceiveResult {
  outcome: WebhookOutcomeName;
  command: string;
  groupId?: string;
}

/** Routes a verified delivery to its command's handler and records the event; unrecorded commands are ignored. */
export const receiveWebhook = async (delivery: WebhookDelivery, store: EventStore): Promise<ReceiveResult> => {
  const handler = commandHandlers.get(delivery.command);
  if (handler === undefined) return { outcome: WebhookOutcome.Ignored, command: delivery.command };
  const event = handler(delivery);
  const result = await store.recordEvent(event);
  return { outcome: result, command: delivery.command, groupId: event.groupId };
};
