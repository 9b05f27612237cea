import type { ReceiverConfig } from '../receiverConfig.js';
import { verifyRequest } from '../verifyRequest.js';
import type { CallbackTokenSource } from '../webhook/callbackTokenSource.js';
import type { WebhookMiddleware } from '../webhookEvent.js';
import { readWebhookQuery } from '../webhookQuery.js';
import { WebhookRejectedError } from '../webhookRejectedError.js';

/** Verify first, parse after: runs before the body is touched, so a forged request costs no parsing. */
export const verifyTencentCaller = (config: ReceiverConfig, now: () => number, tokenSource?: CallbackTokenSource): WebhookMiddleware => ({
  before:
    tokenSource === undefined
      ? function verifyTencentCallerBefore(request) {
          verifyRequest(readWebhookQuery(request.event), config, now());
        }
      : async function verifyTencentCallerWithTokenSource(request) {
          // Never unsigned for want of a token: a read that fails refuses the callback.
          const tokens = await tokenSource.current().catch((error: unknown) => {
            throw new WebhookRejectedError('TokenUnavailable', 'the callback token could not be read; retry later', { cause: error });
          });
          verifyRequest(readWebhookQuery(request.event), { ...config, ...tokens }, now());
        },
});
