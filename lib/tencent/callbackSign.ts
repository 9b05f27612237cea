import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Tencent's Sign: lower-case hex SHA-256 of the token immediately followed by RequestTime. Shipped for tests and tools.
 */
export const callbackSign = (token: string, requestTime: string): string =>
  createHash('sha256')
    .update(token + requestTime)
    .digest('hex');

/** Constant-time comparison; unequal lengths are a plain mismatch, never a throw. */
export const signsMatch = (expected: string, received: string): boolean => {
  const expectedBytes = Buffer.from(expected, 'utf8');
  const receivedBytes = Buffer.from(received.toLowerCase(), 'utf8');
  return expectedBytes.length === receivedBytes.length && timingSafeEqual(expectedBytes, receivedBytes);
};
