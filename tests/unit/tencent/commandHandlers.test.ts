import { describe, expect, it } from 'vitest';
import { GroupCommand } from '../../../lib/tencent/commands.js';
import type { WebhookDelivery } from '../../../lib/tencent/delivery.js';
import { recordGroupAttrChanged } from '../../../lib/tencent/groupAttrChanged.js';
import { recordGroupDestroyed } from '../../../lib/tencent/groupDestroyed.js';
import { recordGroupFull } from '../../../lib/tencent/groupFull.js';
import { InputLimit } from '../../../lib/tencent/limits.js';
import { recordedCommandHandlers } from '../../../lib/tencent/recordedCommands.js';
import { rejectionReasonOf as reasonOf } from '../../support/rejectionReasonOf.js';

const delivery = (command: string, body: Record<string, unknown>): WebhookDelivery => ({
  sdkAppId: '1400000001',
  command,
  clientIp: '127.0.0.1',
  optPlatform: undefined,
  body,
  rawBody: JSON.stringify(body),
  receivedAt: 1_763_800_000_000,
});

describe('command router', () => {
  it('has exactly one handler per recorded command', () => {
    expect([...recordedCommandHandlers.keys()].sort()).toEqual(Object.values(GroupCommand).sort());
  });
});

describe('recordGroupFull', () => {
  const full = (body: Record<string, unknown>) => recordGroupFull(delivery(GroupCommand.GroupFull, body));

  it.each([
    ['a numeric string', '1670574414123', 1670574414123],
    ['a number', 1670574414123, 1670574414123],
    ['zero', 0, 0],
    ['absent', undefined, undefined],
  ])('accepts EventTime as %s', (_, EventTime, expected) => {
    const event = full({ GroupId: '@TGS#1', EventTime });
    expect(event.eventTime).toBe(expected);
    expect(event.groupId).toBe('@TGS#1');
    expect(event.fields).toEqual({});
  });

  it.each([
    ['a word', 'yesterday'],
    ['a decimal string', '1670574414.5'],
    ['a decimal number', 1670574414.5],
    ['negative', -1],
    ['too large', 1e16],
    ['null', null],
    ['a boolean', true],
    ['an empty string', ''],
  ])('records an EventTime that is %s as absent (the receive time is used), with a note', (_, EventTime) => {
    const event = full({ GroupId: '@TGS#1', EventTime });
    expect(event.eventTime).toBeUndefined();
    expect(event.shapeNotes).toEqual([
      expect.stringMatching(/^EventTime: .* not milliseconds since the epoch; the receive time is used$/),
    ]);
  });

  it("types a Community topic's TopicId", () => {
    expect(full({ GroupId: '@TGS#_community', TopicId: '@TGS#_community@TOPIC#_t1', EventTime: 1 }).fields).toEqual({
      topicId: '@TGS#_community@TOPIC#_t1',
    });
  });

  it("notes a body CallbackCommand that differs from the query's, and records under the query's", () => {
    const event = recordGroupFull({
      ...delivery(GroupCommand.GroupFull, { CallbackCommand: 'Other', GroupId: 'g', EventTime: 1 }),
    });
    expect(event.command).toBe(GroupCommand.GroupFull);
    expect(event.shapeNotes).toEqual(["CallbackCommand: differs from the query's; recorded as the query's"]);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['a number', 42],
    ['an object', { id: 'x' }],
    ['a lone high surrogate', '@TGS#\uD800'],
    ['a lone low surrogate', '\uDFFF@TGS#'],
  ])('refuses a GroupId that is %s', (_, GroupId) => {
    expect(reasonOf(() => full({ GroupId, EventTime: '1' }))).toBe('GroupIdInvalid');
  });

  it('accepts a GroupId with a surrogate pair (an emoji): well-formed Unicode', () => {
    expect(full({ GroupId: '@TGS#\u{1F600}', EventTime: '1' }).groupId).toBe('@TGS#\u{1F600}');
  });

  it('keeps the delivery facts on the event', () => {
    const event = full({ GroupId: '@TGS#1', EventTime: '5', Future: { field: 1 } });
    expect(event).toMatchObject({
      sdkAppId: '1400000001',
      command: GroupCommand.GroupFull,
      clientIp: '127.0.0.1',
      optPlatform: undefined,
      receivedAt: 1_763_800_000_000,
      rawBody: '{"GroupId":"@TGS#1","EventTime":"5","Future":{"field":1}}',
    });
    expect(event.deliveryId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('recordGroupDestroyed', () => {
  const sample = {
    CallbackCommand: GroupCommand.GroupDestroyed,
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Owner_Account: 'leckie',
    Name: 'MyFirstGroup',
    MemberList: [{ Member_Account: 'leckie' }, { Member_Account: 'peter' }, { Member_Account: 'bob' }],
    EventTime: '1670574414123',
  };
  const destroyed = (body: Record<string, unknown>) =>
    recordGroupDestroyed(delivery(GroupCommand.GroupDestroyed, body));

  it("types the documentation's sample", () => {
    expect(destroyed(sample).fields).toEqual({
      groupType: 'Public',
      ownerAccount: 'leckie',
      groupName: 'MyFirstGroup',
      memberCount: 3,
      memberAccounts: ['leckie', 'peter', 'bob'],
    });
  });

  it('accepts a Community group without MemberList', () => {
    const { MemberList: _, ...community } = { ...sample, Type: 'Community' };
    expect(destroyed(community).fields).toEqual({
      groupType: 'Community',
      ownerAccount: 'leckie',
      groupName: 'MyFirstGroup',
    });
  });

  it('records odd fields as far as they can be read, noting each', () => {
    const event = destroyed({
      ...sample,
      Name: 42,
      Owner_Account: { id: 'leckie' },
      MemberList: [
        { Member_Account: 1001 },
        { Member_Account: 'bob' },
        'carol',
        { Account: 'dave' },
        { Member_Account: 1002 },
      ],
    });
    expect(event.fields).toEqual({
      groupType: 'Public',
      groupName: '42',
      memberCount: 5,
      memberAccounts: ['1001', 'bob', '1002'],
    });
    expect(event.shapeNotes).toEqual([
      'Owner_Account: an object, not typed',
      'Name: a number, typed as its JSON text',
      'MemberList.*.Member_Account: a number, typed as its JSON text (2 times)',
      'MemberList.*: a string instead of an object, not typed',
      'MemberList.*.Member_Account: missing, entry not typed',
    ]);
  });

  it('records MemberList null or not a list without members, noted', () => {
    expect(destroyed({ ...sample, MemberList: null }).fields).not.toHaveProperty('memberAccounts');
    expect(destroyed({ ...sample, MemberList: null }).shapeNotes).toEqual([
      'MemberList: null instead of a list, not typed',
    ]);
    expect(destroyed({ ...sample, MemberList: 'bob' }).shapeNotes).toEqual([
      'MemberList: a string instead of a list, not typed',
    ]);
  });

  it('types Operator_Account (who disbanded the group) and the member count', () => {
    expect(destroyed({ ...sample, Operator_Account: 'admin' }).fields).toMatchObject({
      operatorAccount: 'admin',
      memberCount: 3,
    });
  });

  it('leaves an over-long field untyped, noted; the body keeps it', () => {
    const event = destroyed({ ...sample, Name: 'n'.repeat(InputLimit.textLength + 1) });
    expect(event.fields).not.toHaveProperty('groupName');
    expect(event.shapeNotes).toEqual([`Name: longer than ${InputLimit.textLength} characters, not typed`]);
    expect(event.rawBody).toContain('n'.repeat(InputLimit.textLength + 1));
  });

  it('still refuses a GroupId it cannot use', () => {
    expect(reasonOf(() => destroyed({ ...sample, GroupId: 7 }))).toBe('GroupIdInvalid');
  });

  it("notes nothing for the documentation's sample", () => {
    expect(destroyed(sample).shapeNotes).toEqual([]);
  });
});

describe('recordGroupAttrChanged', () => {
  const sample = {
    CallbackCommand: GroupCommand.GroupAttrChanged,
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Operator_Account: 'leckie',
    OptionType: 'set',
    GroupAttr: [
      { key: 'key1', value: 'value1' },
      { key: 'key2', value: 'values' },
    ],
    EventTime: '1670574414123',
  };
  const changed = (body: Record<string, unknown>) =>
    recordGroupAttrChanged(delivery(GroupCommand.GroupAttrChanged, body));

  it("types the documentation's sample", () => {
    expect(changed(sample).fields).toEqual({
      groupType: 'Public',
      operatorAccount: 'leckie',
      optionType: 'set',
      groupAttr: [
        { key: 'key1', value: 'value1' },
        { key: 'key2', value: 'values' },
      ],
    });
  });

  it('accepts a clear without GroupAttr, and an empty list', () => {
    const { GroupAttr: _, ...clear } = { ...sample, OptionType: 'clear' };
    expect(changed(clear).fields).toEqual({ groupType: 'Public', operatorAccount: 'leckie', optionType: 'clear' });
    expect(changed({ ...clear, GroupAttr: [] }).fields.groupAttr).toEqual([]);
  });

  it('drops unknown fields inside attribute entries from the typed copy (the raw body keeps them)', () => {
    const event = changed({ ...sample, GroupAttr: [{ key: 'k', value: 'v', extra: 1 }] });
    expect(event.fields.groupAttr).toEqual([{ key: 'k', value: 'v' }]);
    expect(event.rawBody).toContain('"extra":1');
  });

  it("types a keys-only delete without notes (Tencent's delete API takes keys only)", () => {
    const event = changed({ ...sample, OptionType: 'delete', GroupAttr: [{ key: 'seat1' }, { key: 'seat2' }] });
    expect(event.fields.groupAttr).toEqual([{ key: 'seat1' }, { key: 'seat2' }]);
    expect(event.shapeNotes).toEqual([]);
  });

  it.each([
    ['absent', undefined],
    ['null', null],
    ['empty', []],
  ])('records a clear whose GroupAttr is %s without a note', (_, GroupAttr) => {
    expect(changed({ ...sample, OptionType: 'clear', GroupAttr }).shapeNotes).toEqual([]);
  });

  it('keeps a non-string value as its JSON text, noted', () => {
    const event = changed({
      ...sample,
      OptionType: 'modify',
      GroupAttr: [
        { key: 'n', value: 7 },
        { key: 'o', value: { a: [1] } },
        { key: 'z', value: null },
      ],
    });
    expect(event.fields.groupAttr).toEqual([
      { key: 'n', value: '7' },
      { key: 'o', value: '{"a":[1]}' },
      { key: 'z', value: 'null' },
    ]);
    expect(event.shapeNotes).toEqual([
      'GroupAttr.*.value: a number, typed as its JSON text',
      'GroupAttr.*.value: an object, typed as its JSON text',
      'GroupAttr.*.value: null, typed as its JSON text',
    ]);
  });

  it.each([
    ['GroupAttr an object', { GroupAttr: { key1: 'value1' } }, 'GroupAttr: an object instead of a list, not typed'],
    ['GroupAttr null in a set', { GroupAttr: null }, 'GroupAttr: null instead of a list, not typed'],
    ['an attribute without key', { GroupAttr: [{ value: 'v' }] }, 'GroupAttr.*.key: missing, entry not typed'],
    ['a set entry without value', { GroupAttr: [{ key: 'k' }] }, 'GroupAttr.*.value: missing, entry not typed'],
    ['OptionType a number', { OptionType: 1 }, 'OptionType: a number, typed as its JSON text'],
  ])('records %s, noted', (_, change, note) => {
    const event = changed({ ...sample, ...change });
    expect(event.groupId).toBe(sample.GroupId);
    expect(event.shapeNotes).toEqual([note]);
  });
});
