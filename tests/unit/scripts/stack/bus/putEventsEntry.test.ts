import { describe, expect, it } from 'vitest';
import { checkPutEventsEntry, putEventsEntrySize } from '../../../../../scripts/stack/bus/putEventsEntry.js';

describe('a PutEvents entry, as EventBridge checks it', () => {
  it("has EventBridge's size: 14 bytes for a Time, then the UTF-8 bytes of its strings", () => {
    const entry = { Source: 'src', DetailType: 'Group full', Detail: '{"a":"é"}', Resources: ['r1', 'r22'] };
    expect(putEventsEntrySize(entry)).toBe(3 + 10 + 10 + 2 + 3);
    expect(putEventsEntrySize({ ...entry, Time: 1_700_000_000 })).toBe(3 + 10 + 10 + 2 + 3 + 14);
  });

  it.each([
    ['no Source', { DetailType: 'd', Detail: '{}' }, 'InvalidArgument'],
    ['no DetailType', { Source: 's', Detail: '{}' }, 'InvalidArgument'],
    ['no Detail', { Source: 's', DetailType: 'd' }, 'InvalidArgument'],
    ['a Detail that is not JSON', { Source: 's', DetailType: 'd', Detail: '{' }, 'MalformedDetail'],
    ['a Detail that is not an object', { Source: 's', DetailType: 'd', Detail: '[1]' }, 'MalformedDetail'],
  ])('fails with %s', (_, entry, errorCode) => {
    expect(checkPutEventsEntry(entry)).toMatchObject({ accepted: false, errorCode });
  });

  it('accepts an entry with its Detail parsed', () => {
    expect(checkPutEventsEntry({ Source: 's', DetailType: 'd', Detail: '{"groupId":"g"}' })).toEqual({
      accepted: true,
      entry: { source: 's', detailType: 'd', detail: { groupId: 'g' }, time: undefined, resources: [] },
    });
  });
});
