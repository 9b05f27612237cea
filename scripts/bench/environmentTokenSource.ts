/**
 * Measured candidate, not shipped: the token resolved into the environment at deploy time (CALLBACK_TOKEN),
 * so no source at run time. Swapped in for lib/webhook/webhookTokenSource.ts by `npm run bench:token`.
 */
import type { WebhookConfig } from '../../lib/config.js';
import type { CallbackTokenSource } from '../../lib/webhook/callbackTokenSource.js';

export const webhookTokenSource = (_config: WebhookConfig): CallbackTokenSource | undefined => undefined;
