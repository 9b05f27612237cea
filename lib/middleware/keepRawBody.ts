import type { WebhookMiddleware } from '../webhookEvent.js';
import { WebhookRejectedError } from '../webhookRejectedError.js';

/**
 * Decodes a base64 body (API Gateway may deliver one) and keeps the text as `rawBody`, so the item can
 * carry the body exactly as Tencent sent it after the JSON parser has replaced `body`.
 */
export const keepRawBody = (): WebhookMiddleware => ({
  before: function keepRawBodyBefore(request) {
    const { body, isBase64Encoded } = request.event;
    if (typeof body !== 'string' || body === '') {
      throw new WebhookRejectedError('BodyMissing', 'request has no body');
    }
    const text = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
    request.event.rawBody = text;
    request.event.body = text;
    request.event.isBase64Encoded = false;
  },
});
