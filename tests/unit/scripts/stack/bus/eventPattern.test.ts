import { describe, expect, it } from 'vitest';
import {
  checkEventPattern,
  type EventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
} from '../../../../../scripts/stack/bus/eventPattern.js';

const event = {
  source: 'tencent-chat.group-webhooks',
  'detail-type': 'Group full',
  detail: {
    groupId: '@TGS#2J4SZEAEL',
    memberCount: 200,
    large: true,
    topicId: null,
    memberAccounts: ['alice', 'bob'],
    groupAttr: [
      { key: 'level', value: 'gold' },
      { key: 'region', value: 'eu' },
    ],
  },
};

const matches = (pattern: EventPattern) => matchesEventPattern(event, pattern);

describe("the local bus's event patterns, with EventBridge's semantics", () => {
  it.each([
    ['a string', { source: ['tencent-chat.group-webhooks'] }, true],
    ['one of several strings', { 'detail-type': ['Group disbanded', 'Group full'] }, true],
    ['another string', { source: ['aws.s3'] }, false],
    ['a number', { detail: { memberCount: [200] } }, true],
    ['the same number written otherwise', { detail: { memberCount: [200.0] } }, true],
    ['a number as a string (types differ)', { detail: { memberCount: ['200'] } }, false],
    ['a boolean', { detail: { large: [true] } }, true],
    ['null, for a null field', { detail: { topicId: [null] } }, true],
    ['null, for a missing field', { detail: { operatorAccount: [null] } }, false],
  ])('exact value: %s', (_, pattern, expected) => {
    expect(matches(pattern as EventPattern)).toBe(expected);
  });

  it.each([
    ['matching prefix', { detail: { groupId: [{ prefix: '@TGS#' }] } }, true],
    ['other prefix', { detail: { groupId: [{ prefix: 'GRP' }] } }, false],
    ['a prefix on a number', { detail: { memberCount: [{ prefix: '2' }] } }, false],
  ])('prefix: %s', (_, pattern, expected) => {
    expect(matches(pattern as EventPattern)).toBe(expected);
  });

  it.each([
    ['suffix', { detail: { groupId: [{ suffix: 'EAEL' }] } }, true],
    ['equals-ignore-case', { 'detail-type': [{ 'equals-ignore-case': 'GROUP FULL' }] }, true],
    ['numeric range in', { detail: { memberCount: [{ numeric: ['>', 100, '<=', 200] }] } }, true],
    ['numeric range out', { detail: { memberCount: [{ numeric: ['<', 200] }] } }, false],
  ])('%s', (_, pattern, expected) => {
    expect(matches(pattern as EventPattern)).toBe(expected);
  });

  it.each([
    ['a value it is not', { 'detail-type': [{ 'anything-but': 'Group disbanded' }] }, true],
    ['the value it is', { 'detail-type': [{ 'anything-but': 'Group full' }] }, false],
    ['a list holding its value', { 'detail-type': [{ 'anything-but': ['Group full', 'x'] }] }, false],
    ['a prefix it has', { detail: { groupId: [{ 'anything-but': { prefix: '@TGS#' } }] } }, false],
    ['a prefix it has not', { detail: { groupId: [{ 'anything-but': { prefix: 'GRP' } }] } }, true],
    ['a missing field', { detail: { operatorAccount: [{ 'anything-but': 'x' }] } }, false],
  ])('anything-but: %s', (_, pattern, expected) => {
    expect(matches(pattern as EventPattern)).toBe(expected);
  });

  it.each([
    ['true, for a present field', { detail: { groupId: [{ exists: true }] } }, true],
    ['true, for a missing field', { detail: { operatorAccount: [{ exists: true }] } }, false],
    ['false, for a missing field', { detail: { operatorAccount: [{ exists: false }] } }, true],
    ['false, for a present field', { detail: { groupId: [{ exists: false }] } }, false],
    ['true, for a field holding an object (not a leaf)', { detail: [{ exists: true }] }, false],
  ])('exists: %s', (_, pattern, expected) => {
    expect(matches(pattern as EventPattern)).toBe(expected);
  });

  it('nested fields must all match', () => {
    expect(matches({ source: ['tencent-chat.group-webhooks'], detail: { groupId: ['@TGS#2J4SZEAEL'] } })).toBe(true);
    expect(matches({ source: ['tencent-chat.group-webhooks'], detail: { groupId: ['@TGS#other'] } })).toBe(false);
  });

  it('an array in the event matches when any of its elements does', () => {
    expect(matches({ detail: { memberAccounts: ['bob'] } })).toBe(true);
    expect(matches({ detail: { memberAccounts: ['carol'] } })).toBe(false);
    expect(matches({ detail: { groupAttr: { key: ['region'] } } })).toBe(true);
    expect(matches({ detail: { groupAttr: { key: ['colour'] } } })).toBe(false);
  });

  it('a field of the prototype is no field of the event', () => {
    expect(matchesEventPattern({}, { constructor: [{ exists: true }] })).toBe(false);
  });

  it.each([
    ['an empty pattern', {}],
    ['a leaf that is not an array', { source: 'tencent-chat.group-webhooks' }],
    ['an unknown operator', { source: [{ 'starts-with': 'x' }] }],
  ])('refuses %s', (_, pattern) => {
    expect(() => checkEventPattern(pattern)).toThrow(InvalidEventPatternError);
  });
});
