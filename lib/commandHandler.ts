import type { GroupEvent } from './groupEvent.js';
import type { WebhookDelivery } from './webhookDelivery.js';

/** Validates one command's payload and turns the delivery into the event to record. Throws WebhookRejectedError. */
export type CommandHandler = (delivery: WebhookDelivery) => GroupEvent;
