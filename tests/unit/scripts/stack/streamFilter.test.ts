import { describe, expect, it } from 'vitest';
import streamEventSource from '../../../../lib/groupState/streamEventSource.json' with { type: 'json' };
import { type FilterPattern, matchesAnyPattern } from '../../../../scripts/stack/stream/streamFilter.js';

const patterns = streamEventSource.filterPatterns as FilterPattern[];
const record = (eventName: string, sortKey: string) => ({
  eventName,
  dynamodb: { Keys: { pk: { S: 'GROUP#g' }, sk: { S: sortKey } } },
});

describe("the local stream filter, with the mapping's own patterns", () => {
  it('passes the INSERT of an event item', () => {
    expect(matchesAnyPattern(record('INSERT', 'EVENT#000000000001000#ab'), patterns)).toBe(true);
  });

  it.each([
    ["the state item's first write", record('INSERT', 'STATE')],
    ['a state update', record('MODIFY', 'STATE')],
    ['a receive-time claim', record('INSERT', 'UNTIMED#ab')],
    ['a TTL deletion of an event', record('REMOVE', 'EVENT#000000000001000#ab')],
    ['a record without keys', { eventName: 'INSERT' }],
  ])('drops %s', (_, candidate) => {
    expect(matchesAnyPattern(candidate, patterns)).toBe(false);
  });
});
