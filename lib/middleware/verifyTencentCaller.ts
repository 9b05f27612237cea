import type { ReceiverConfig } from '../receiverConfig.js';
import { verifyRequest } from '../verifyRequest.js';
import type { WebhookMiddleware } from '../webhookEvent.js';
import { readWebhookQuery } from '../webhookQuery.js';

/** Verify first, parse after: runs before the body is touched, so a forged request costs no parsing. */
export const verifyTencentCaller = (config: ReceiverConfig, now: () => number): WebhookMiddleware => ({
  before: function verifyTencentCallerBefore(request) {
    verifyRequest(readWebhookQuery(request.event), config, now());
  },
});
