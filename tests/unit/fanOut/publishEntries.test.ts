import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { ENTRY_LIMIT_BYTES, entrySizeBytes } from '../../../lib/fanOut/eventEntry.js';
import { requestsOf } from '../../../lib/fanOut/publishEntries.js';

const entryOf = (detailBytes: number): PutEventsRequestEntry => ({
  Source: 's',
  DetailType: 'd',
  Time: new Date(0),
  Detail: JSON.stringify({ pad: 'x'.repeat(Math.max(0, detailBytes - 10)) }),
});

describe('requestsOf', () => {
  it('puts at most ten entries in a call, in order', () => {
    const entries = Array.from({ length: 23 }, () => entryOf(100));
    const requests = requestsOf(entries);
    expect(requests.map((request) => request.length)).toEqual([10, 10, 3]);
    expect(requests.flat()).toEqual(entries);
  });

  it("keeps the entries of a call together under EventBridge's limit", () => {
    const entries = Array.from({ length: 5 }, () => entryOf(100_000));
    const requests = requestsOf(entries);
    expect(requests.map((request) => request.length)).toEqual([2, 2, 1]);
    for (const request of requests)
      expect(request.reduce((total, entry) => total + entrySizeBytes(entry), 0)).toBeLessThan(ENTRY_LIMIT_BYTES);
  });

  it('counts the size as EventBridge does: Time as 14 bytes, the rest in UTF-8', () => {
    expect(entrySizeBytes({ Source: 'é', DetailType: 'ab', Detail: '{}', Resources: ['r1'], Time: new Date() })).toBe(
      14 + 2 + 2 + 2 + 2,
    );
  });
});
