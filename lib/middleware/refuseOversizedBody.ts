import { InputLimit } from '../inputLimits.js';
import type { WebhookMiddleware } from '../webhookEvent.js';
import { WebhookRejectedError } from '../webhookRejectedError.js';

/** Bytes a body decodes to, computed without decoding it: base64 carries 3 bytes in every 4 characters. */
export const decodedBodyBytes = (body: string, isBase64Encoded: boolean | undefined): number => {
  if (!isBase64Encoded) return Buffer.byteLength(body, 'utf8');
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  return Math.floor((body.length * 3) / 4) - padding;
};

/** Refuses a body over the size limit before it is decoded, parsed or hashed. */
export const refuseOversizedBody = (limitBytes: number = InputLimit.bodyBytes): WebhookMiddleware => ({
  before: function refuseOversizedBodyBefore(request) {
    const { body, isBase64Encoded } = request.event;
    if (typeof body !== 'string') return;
    const bytes = decodedBodyBytes(body, isBase64Encoded);
    if (bytes > limitBytes) {
      throw new WebhookRejectedError('BodyTooLarge', `body is ${bytes} bytes; the limit is ${limitBytes}`);
    }
  },
});
