import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FORWARD_RATE_PER_SECOND,
  MAX_FORWARD_TARGETS,
  readForwardTo,
} from '../../../scripts/deploy/forwardToSetting.js';

const URL_A = 'https://hooks.example.com/tencent';

describe('readForwardTo', () => {
  it('reads nothing from an empty setting', () => {
    for (const setting of [undefined, null, '', []])
      expect(readForwardTo(setting)).toEqual({ targets: [], errors: [] });
  });

  it('reads entries with their defaults: every command, no auth, the default rate', () => {
    const { targets, errors } = readForwardTo([
      { url: URL_A },
      {
        url: 'https://b.example.com/in',
        commands: ['Group.CallbackAfterGroupDestroyed'],
        authHeader: 'X-Api-Key',
        authSecret: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:hook-key-AbCdEf',
        ratePerSecond: '300',
      },
    ]);

    expect(errors).toEqual([]);
    expect(targets).toEqual([
      { url: URL_A, commands: [], ratePerSecond: DEFAULT_FORWARD_RATE_PER_SECOND },
      {
        url: 'https://b.example.com/in',
        commands: ['Group.CallbackAfterGroupDestroyed'],
        auth: {
          header: 'X-Api-Key',
          secret: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:hook-key-AbCdEf',
        },
        ratePerSecond: 300,
      },
    ]);
  });

  it('reads JSON text, as --param gives it', () => {
    expect(readForwardTo(JSON.stringify([{ url: URL_A }])).targets).toHaveLength(1);
  });

  it.each([
    ['not a list', 'https://hooks.example.com', /^forwardTo: must be a list/],
    ['a plain value', 42, /^forwardTo: must be a list/],
    ['an entry that is not an object', [URL_A], /^forwardTo\[1\]: must be an object/],
    ['no url', [{}], /^forwardTo\[1\]\.url: required/],
    ['http', [{ url: 'http://hooks.example.com' }], /^forwardTo\[1\]\.url: must be https/],
    ['not a URL', [{ url: 'hooks' }], /^forwardTo\[1\]\.url: must be an https:\/\/ URL, not "hooks"/],
    ['credentials in the URL', [{ url: 'https://me:pw@hooks.example.com' }], /url: must not hold credentials/],
    ['an unknown command', [{ url: URL_A, commands: ['Group.CallbackAfterNewMemberJoin'] }], /is not a recorded/],
    ['an empty command list', [{ url: URL_A, commands: [] }], /commands: must be a non-empty list/],
    ['a command twice', [{ url: URL_A, commands: Array(2).fill('Group.CallbackAfterGroupFull') }], /twice/],
    ['a header without its secret', [{ url: URL_A, authHeader: 'X-Key' }], /^forwardTo\[1\]\.authSecret: required/],
    ['a secret without its header', [{ url: URL_A, authSecret: 'key' }], /^forwardTo\[1\]\.authHeader: required/],
    ['a bad header', [{ url: URL_A, authHeader: 'X Key', authSecret: 'key' }], /authHeader: must be an HTTP header/],
    ['a bad secret', [{ url: URL_A, authHeader: 'X-Key', authSecret: 'a:b' }], /authSecret: must be a Secrets/],
    ['a rate of 0', [{ url: URL_A, ratePerSecond: 0 }], /ratePerSecond: must be a whole number from 1 to 300/],
    ['a fractional rate', [{ url: URL_A, ratePerSecond: 1.5 }], /ratePerSecond: must be a whole number/],
    ['an unknown key', [{ url: URL_A, header: 'X' }], /^forwardTo\[1\]: unknown key "header"/],
    ['one URL twice', [{ url: URL_A }, { url: URL_A }], /^forwardTo: https:\/\/hooks\.example\.com\/tencent is listed/],
  ])('refuses %s, in one line, and reads no target', (_, setting, error) => {
    const { targets, errors } = readForwardTo(setting);

    expect(errors).toEqual([expect.stringMatching(error)]);
    expect(targets).toEqual([]);
  });

  it(`refuses more than ${MAX_FORWARD_TARGETS} endpoints`, () => {
    const setting = Array.from({ length: MAX_FORWARD_TARGETS + 1 }, (_, index) => ({ url: `${URL_A}/${index}` }));
    expect(readForwardTo(setting).errors).toEqual([expect.stringMatching(/^forwardTo: at most 20 endpoints/)]);
  });
});
