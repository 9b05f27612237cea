import { describe, expect, it } from 'vitest';
import { recordedCommandHandlers } from '../../../lib/commands/router.js';
import { GroupCommand } from '../../../lib/commands/constants.js';
import { recordGroupAttrChanged } from '../../../lib/commands/groupAttrChanged.js';
import { recordGroupDestroyed } from '../../../lib/commands/groupDestroyed.js';
import { recordGroupFull } from '../../../lib/commands/groupFull.js';
import type { RejectionReasonName } from '../../../lib/webhook/constants.js';
import type { WebhookDelivery } from '../../../lib/commands/types.js';
import { WebhookRejectedError } from '../../../lib/webhook/errors.js';

const delivery = (command: string, body: Record<string, unknown>): WebhookDelivery => ({
  sdkAppId: '1400000001',
  command,
  clientIp: '127.0.0.1',
  optPlatform: undefined,
  body,
  rawBody: JSON.stringify(body),
  receivedAt: 1_763_800_000_000,
});

const reasonOf = (act: () => unknown): RejectionReasonName | undefined => {
  try {
    act();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookRejectedError);
    return (error as WebhookRejectedError).reason;
  }
};

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
  ])('refuses EventTime that is %s', (_, EventTime) => {
    expect(reasonOf(() => full({ GroupId: '@TGS#1', EventTime }))).toBe('EventTimeInvalid');
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
  const destroyed = (body: Record<string, unknown>) => recordGroupDestroyed(delivery(GroupCommand.GroupDestroyed, body));

  it('types the documentation\'s sample', () => {
    expect(destroyed(sample).fields).toEqual({
      groupType: 'Public',
      ownerAccount: 'leckie',
      groupName: 'MyFirstGroup',
      memberAccounts: ['leckie', 'peter', 'bob'],
    });
  });

  it('accepts a Community group without MemberList', () => {
    const { MemberList: _, ...community } = { ...sample, Type: 'Community' };
    expect(destroyed(community).fields).toEqual({ groupType: 'Community', ownerAccount: 'leckie', groupName: 'MyFirstGroup' });
  });

  it('names the offending field and the expected type', () => {
    expect(() => destroyed({ ...sample, MemberList: [{ Member_Account: 7 }] })).toThrow(
      'MemberList.0.Member_Account must be of type string',
    );
    expect(() => destroyed({ ...sample, GroupId: 7 })).toThrow('GroupId must be a non-empty string');
  });

  it.each([
    ['MemberList not an array', { MemberList: 'bob' }],
    ['a member without Member_Account', { MemberList: [{ Account: 'bob' }] }],
    ['Owner_Account a number', { Owner_Account: 7 }],
    ['Name an object', { Name: {} }],
  ])('refuses %s', (_, change) => {
    expect(reasonOf(() => destroyed({ ...sample, ...change }))).toBe('PayloadInvalid');
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

  it('types the documentation\'s sample', () => {
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

  it.each([
    ['GroupAttr an object', { GroupAttr: { key1: 'value1' } }],
    ['an attribute value a number', { GroupAttr: [{ key: 'k', value: 1 }] }],
    ['an attribute without key', { GroupAttr: [{ value: 'v' }] }],
    ['OptionType a number', { OptionType: 1 }],
  ])('refuses %s', (_, change) => {
    expect(reasonOf(() => changed({ ...sample, ...change }))).toBe('PayloadInvalid');
  });
});
