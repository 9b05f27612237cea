import { ReadableStream as WebReadableStream } from 'node:stream/web';
import { describe, expect, it } from 'vitest';
import { ReadableStream } from '../../../lib/webhook/lazyWebStreams.js';

describe('the lazy stand-in for node:stream/web', () => {
  it('answers instanceof ReadableStream as the real class does', () => {
    expect(new WebReadableStream() instanceof ReadableStream).toBe(true);
    expect(new globalThis.ReadableStream() instanceof ReadableStream).toBe(true);
    for (const value of ['body', { getReader: () => undefined }, null, undefined]) {
      expect(value instanceof ReadableStream).toBe(false);
    }
  });
});
