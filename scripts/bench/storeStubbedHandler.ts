/**
 * Bench entry, never deployed: the webhook's own work per request (verification with a real Sign, routing,
 * validation, digest, envelope, the log line) with a store that records nothing, so nothing but our code is
 * timed. Bundled with the deployed functions' options and run in a Lambda process like them.
 */
import { readWebhookConfig } from '../../lib/config.js';
import { type EventStore, RecordResult } from '../../lib/eventStore/types.js';
import { createWebhookHandler } from '../../lib/webhook/handler.js';

const acceptingStore: EventStore = { recordEvent: async () => RecordResult.Recorded };

export const handler = createWebhookHandler({ config: readWebhookConfig(), store: acceptingStore });
