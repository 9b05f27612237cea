import { isUtf8 } from 'node:buffer';
import { InputLimit } from '../../tencent/limits.js';
import { WebhookRejectedError } from '../../tencent/rejection.js';
import type { WebhookMiddleware } from '../types.js';

/** Bytes a body decodes to, computed without decoding it: base64 carries 3 bytes in every 4 characters. */
export const decodedBodyBytes = (body: string, isBase64Encoded: boolean | undefined): number => {
  if (!isBase64Encoded) return Buffer.byteLength(body, 'utf8');
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  return Math.floor((body.length * 3) / 4) - padding;
};

/**
 * Refuses a missing body, or one over the size limit before it is decoded, parsed or hashed; then decodes a
 * base64 body (API Gateway may deliver one) and keeps the text as `rawBody`, so the item can carry the body
 * exactly as Tencent sent it after the JSON parser has replaced `body`. Bytes that are not UTF-8 are kept too
 * (`rawBodyBytes`): their text has a 3-byte U+FFFD for each bad byte, and is not what was sent.
 */
export const readRawBody = (limitBytes: number = InputLimit.bodyBytes): WebhookMiddleware => ({
  before: function readRawBodyBefore(request) {
    const { body, isBase64Encoded } = request.event;
    if (typeof body !== 'string' || body === '') {
      throw new WebhookRejectedError('BodyMissing', 'request has no body');
    }
    const bytes = decodedBodyBytes(body, isBase64Encoded);
    if (bytes > limitBytes) {
      throw new WebhookRejectedError('BodyTooLarge', `body is ${bytes} bytes; the limit is ${limitBytes}`);
    }
    let text = body;
    if (isBase64Encoded) {
      const decoded = Buffer.from(body, 'base64');
      text = decoded.toString('utf8');
      if (!isUtf8(decoded)) request.event.rawBodyBytes = decoded;
    }
    request.event.rawBody = text;
    request.event.body = text;
    request.event.isBase64Encoded = false;
  },
});
