import { describe, expect, it } from 'vitest';
import {
  EVENT_TIME_DIGITS,
  eventSortKey,
  groupPartitionKey,
  untimedDeliverySortKey,
} from '../../../lib/dynamo/tableKeys.js';
import { InputLimit } from '../../../lib/tencent/limits.js';

describe('sort keys', () => {
  it('order events by EventTime as strings', () => {
    const times = [1670574414123, 5, 999_999_999_999_999, 0, 1670574414122, 10_000_000_000_000];
    const sorted = times.map((time) => eventSortKey(time, 'ffff')).sort();
    expect(sorted).toEqual([...times].sort((a, b) => a - b).map((time) => eventSortKey(time, 'ffff')));
  });

  it('are built as docs/reference.md documents', () => {
    expect(groupPartitionKey('@TGS#2J4SZEAEL')).toBe('GROUP#@TGS#2J4SZEAEL');
    expect(eventSortKey(1670574414123, 'abc')).toBe('EVENT#001670574414123#abc');
    expect(untimedDeliverySortKey('abc')).toBe('UNTIMED#abc');
  });
});

describe('the event sort key', () => {
  it('holds every EventTime the payload reader accepts', () => {
    expect(EVENT_TIME_DIGITS).toBe(InputLimit.eventTimeDigits);
    expect(eventSortKey(10 ** InputLimit.eventTimeDigits - 1, 'd')).toBe(`EVENT#${'9'.repeat(EVENT_TIME_DIGITS)}#d`);
  });
});
