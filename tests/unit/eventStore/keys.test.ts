import { describe, expect, it } from 'vitest';
import { eventSortKey, groupPartitionKey, untimedDeliverySortKey } from '../../../lib/eventStore/keys.js';

describe('sort keys', () => {
  it('order events by EventTime as strings', () => {
    const times = [1670574414123, 5, 999_999_999_999_999, 0, 1670574414122, 10_000_000_000_000];
    const sorted = times.map((time) => eventSortKey(time, 'ffff')).sort();
    expect(sorted).toEqual([...times].sort((a, b) => a - b).map((time) => eventSortKey(time, 'ffff')));
  });

  it('are built as the README documents', () => {
    expect(groupPartitionKey('@TGS#2J4SZEAEL')).toBe('GROUP#@TGS#2J4SZEAEL');
    expect(eventSortKey(1670574414123, 'abc')).toBe('EVENT#001670574414123#abc');
    expect(untimedDeliverySortKey('abc')).toBe('UNTIMED#abc');
  });
});
