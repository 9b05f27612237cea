import { describe, expect, it } from 'vitest';
import type { WebhookQuery } from '../../../../lib/tencent/query.js';
import type { RejectionReasonName } from '../../../../lib/tencent/rejection.js';
import { WebhookRejectedError } from '../../../../lib/tencent/rejection.js';
import { verifyRequest } from '../../../../lib/webhook/middleware/verifyTencentCaller.js';
import { signedQuery, TEST_SDK_APP_ID, TEST_TOKEN } from '../../../support/tencentRequest.js';
import { testConfig } from '../../../support/testConfig.js';

const NOW = 1_763_800_000_000;

const config = testConfig;

const query = (overrides: Partial<WebhookQuery> = {}): WebhookQuery => ({
  sdkAppId: TEST_SDK_APP_ID,
  callbackCommand: 'Group.CallbackAfterGroupFull',
  clientIp: undefined,
  optPlatform: undefined,
  sign: undefined,
  requestTime: undefined,
  ...overrides,
});

const rejectionOf = (act: () => void): { reason: RejectionReasonName; message: string } | undefined => {
  try {
    act();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookRejectedError);
    const rejection = error as WebhookRejectedError;
    return { reason: rejection.reason, message: rejection.message };
  }
};

const signed = (atMs: number, token = TEST_TOKEN): Partial<WebhookQuery> => {
  const { RequestTime, Sign } = signedQuery(atMs, token);
  return { requestTime: RequestTime, sign: Sign };
};

describe('verifyRequest without a callback token', () => {
  it('accepts our SdkAppid, with or without Sign', () => {
    expect(rejectionOf(() => verifyRequest(query(), config(), NOW))).toBeUndefined();
    expect(
      rejectionOf(() => verifyRequest(query({ sign: 'anything', requestTime: '1' }), config(), NOW)),
    ).toBeUndefined();
  });

  it.each([
    ['missing', undefined, 'SdkAppIdMissing'],
    ['empty', '', 'SdkAppIdMissing'],
    ['another app', '1400999999', 'SdkAppIdMismatch'],
    ['our app with a suffix', `${TEST_SDK_APP_ID} `, 'SdkAppIdMismatch'],
  ] as const)('refuses an SdkAppid that is %s', (_, sdkAppId, reason) => {
    expect(rejectionOf(() => verifyRequest(query({ sdkAppId }), config(), NOW))?.reason).toBe(reason);
  });

  it('refuses everything when the receiver has no SDK_APP_ID', () => {
    expect(rejectionOf(() => verifyRequest(query(), config({ sdkAppId: '' }), NOW))?.reason).toBe('NotConfigured');
  });
});

describe('verifyRequest with a callback token', () => {
  const withToken = config({ callbackToken: TEST_TOKEN });

  it('accepts a fresh, correct sign', () => {
    expect(rejectionOf(() => verifyRequest(query(signed(NOW)), withToken, NOW))).toBeUndefined();
  });

  it('accepts RequestTime up to 60 s either way', () => {
    expect(rejectionOf(() => verifyRequest(query(signed(NOW - 60_000)), withToken, NOW))).toBeUndefined();
    expect(rejectionOf(() => verifyRequest(query(signed(NOW + 60_000)), withToken, NOW))).toBeUndefined();
  });

  it.each([
    ['61 s old', -61_000],
    ['61 s ahead', 61_000],
    ['a day old', -86_400_000],
  ])('refuses a RequestTime %s as stale', (_, offsetMs) => {
    expect(rejectionOf(() => verifyRequest(query(signed(NOW + offsetMs)), withToken, NOW))?.reason).toBe(
      'RequestTimeStale',
    );
  });

  it('names what is missing', () => {
    const { sign, requestTime } = signed(NOW);
    expect(rejectionOf(() => verifyRequest(query({ requestTime }), withToken, NOW))).toEqual({
      reason: 'SignMissing',
      message: 'query parameter Sign missing (a callback token is configured)',
    });
    expect(rejectionOf(() => verifyRequest(query({ sign }), withToken, NOW))?.message).toContain('RequestTime');
    expect(rejectionOf(() => verifyRequest(query(), withToken, NOW))?.message).toContain('Sign and RequestTime');
  });

  it.each(['abc', '1.5', '-1', '1e9', ''])('refuses RequestTime %j', (requestTime) => {
    const reason = rejectionOf(() => verifyRequest(query({ ...signed(NOW), requestTime }), withToken, NOW))?.reason;
    expect(reason).toBe(requestTime === '' ? 'SignMissing' : 'RequestTimeInvalid');
  });

  it('refuses a sign made with another token, without revealing the token', () => {
    const rejection = rejectionOf(() => verifyRequest(query(signed(NOW, 'another-token')), withToken, NOW));
    expect(rejection?.reason).toBe('SignMismatch');
    expect(rejection?.message).not.toContain(TEST_TOKEN);
  });

  it('refuses a sign of the wrong length', () => {
    const { requestTime } = signed(NOW);
    expect(rejectionOf(() => verifyRequest(query({ requestTime, sign: 'abc' }), withToken, NOW))?.reason).toBe(
      'SignMismatch',
    );
  });

  it('checks the app before the sign', () => {
    expect(rejectionOf(() => verifyRequest(query({ sdkAppId: '1', ...signed(NOW) }), withToken, NOW))?.reason).toBe(
      'SdkAppIdMismatch',
    );
  });
});

describe('verifyRequest while the callback token is rotated', () => {
  const NEXT_TOKEN = 'next-token-9c2e';
  const rotating = () => config({ callbackToken: TEST_TOKEN, callbackTokenNext: NEXT_TOKEN });

  it.each([
    ['the current token', TEST_TOKEN],
    ['the next token', NEXT_TOKEN],
  ])('accepts a request signed with %s', (_, token) => {
    expect(rejectionOf(() => verifyRequest(query(signed(NOW, token)), rotating(), NOW))).toBeUndefined();
  });

  it('refuses a request signed with neither', () => {
    expect(rejectionOf(() => verifyRequest(query(signed(NOW, 'retired-token')), rotating(), NOW))?.reason).toBe(
      'SignMismatch',
    );
  });

  it('checks the Sign when only the next token is set', () => {
    const nextOnly = config({ callbackTokenNext: NEXT_TOKEN });
    expect(rejectionOf(() => verifyRequest(query(), nextOnly, NOW))?.reason).toBe('SignMissing');
    expect(rejectionOf(() => verifyRequest(query(signed(NOW, NEXT_TOKEN)), nextOnly, NOW))).toBeUndefined();
  });
});

describe('verifyRequest with a configured freshness window', () => {
  it.each([
    [299_000, undefined],
    [301_000, 'RequestTimeStale'],
  ] as const)('with CALLBACK_MAX_SKEW_SECONDS=300, a Sign %i ms old → %s', (ageMs, reason) => {
    const wide = config({ callbackToken: TEST_TOKEN, maxClockSkewSeconds: 300 });
    expect(rejectionOf(() => verifyRequest(query(signed(NOW - ageMs)), wide, NOW))?.reason).toBe(reason);
    expect(rejectionOf(() => verifyRequest(query(signed(NOW + ageMs)), wide, NOW))?.reason).toBe(reason);
  });

  it('refuses everything while a setting is unusable, naming it', () => {
    const rejection = rejectionOf(() =>
      verifyRequest(query(), config({ problem: 'CALLBACK_MAX_SKEW_SECONDS must be …' }), NOW),
    );
    expect(rejection).toEqual({ reason: 'NotConfigured', message: 'CALLBACK_MAX_SKEW_SECONDS must be …' });
  });
});

describe('verifyRequest on over-long parameters', () => {
  it.each(['sdkAppId', 'callbackCommand', 'clientIp', 'optPlatform', 'sign', 'requestTime'] as const)(
    'refuses a %s longer than 256 characters before comparing anything',
    (field) => {
      const rejection = rejectionOf(() =>
        verifyRequest(query({ [field]: 'x'.repeat(257) }), config({ callbackToken: TEST_TOKEN }), NOW),
      );
      expect(rejection?.reason).toBe('QueryParameterTooLong');
    },
  );
});
