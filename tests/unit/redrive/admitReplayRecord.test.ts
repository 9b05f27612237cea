import { describe, expect, it } from 'vitest';
import { admitReplayRecord, type ReplayTrust, UntrustedReason } from '../../../lib/redrive/admitReplayRecord.js';
import { replayRecordOf } from '../../../lib/webhook/replayRecord.js';
import { bodySha256Of, replaySeal } from '../../../lib/webhook/replaySeal.js';
import { signedQuery, TEST_SDK_APP_ID, TEST_TOKEN } from '../../support/tencentRequest.js';
import { testConfig } from '../../support/testConfig.js';

const RECEIVED_AT = 1_763_800_000_000;
const KEY = 'seal-key-of-this-stage';
const query = { SdkAppid: TEST_SDK_APP_ID, CallbackCommand: 'Group.CallbackAfterGroupDestroyed' };
const body = '{"CallbackCommand":"Group.CallbackAfterGroupDestroyed","GroupId":"@TGS#a","Owner_Account":"alice"}';

const trust = (overrides: Partial<ReplayTrust> = {}): ReplayTrust => ({
  sealKeys: [KEY],
  config: testConfig(),
  tokens: async () => ({ callbackToken: TEST_TOKEN, callbackTokenNext: undefined }),
  ...overrides,
});

const sealed = (sealKey = KEY) => replayRecordOf(query, body, RECEIVED_AT, { sealKey });

const unverifiedRecord = (requestTimeMs: number, token = TEST_TOKEN) => {
  const { Sign, RequestTime } = signedQuery(requestTimeMs, token);
  return replayRecordOf({ ...query, Sign, RequestTime }, body, RECEIVED_AT, {
    sealKey: KEY,
    unverified: { sign: Sign as string, requestTime: RequestTime as string },
  });
};

describe('admitReplayRecord', () => {
  it('admits a record the webhook sealed, also under an older key still listed', async () => {
    expect(await admitReplayRecord(sealed(), trust())).toEqual({ admitted: true });
    expect(await admitReplayRecord(sealed('older-key'), trust({ sealKeys: [KEY, 'older-key'] }))).toEqual({
      admitted: true,
    });
  });

  it.each([
    ['a hand-written record without a seal', { query, body, receivedAt: RECEIVED_AT }, UntrustedReason.Unsealed],
    ['a record sealed with another key', sealed('attacker-key'), UntrustedReason.SealMismatch],
    ['an edited body', { ...sealed(), body: body.replace('alice', 'attacker') }, UntrustedReason.BodyMismatch],
    [
      'an edited body with its digest changed to match',
      { ...sealed(), body: body.replace('alice', 'attacker'), bodySha256: bodySha256Of(body.replace('alice', 'x')) },
      UntrustedReason.SealMismatch,
    ],
    ['an edited query', { ...sealed(), query: { ...query, SdkAppid: '1' } }, UntrustedReason.SealMismatch],
    ['an edited receive time', { ...sealed(), receivedAt: RECEIVED_AT + 1 }, UntrustedReason.SealMismatch],
    ['a seal that is not text', { ...sealed(), seal: 42 as unknown as string }, UntrustedReason.SealMalformed],
    [
      'a Sign added to a verified record',
      { ...sealed(), unverified: { sign: 'x', requestTime: '1' } },
      UntrustedReason.SealMismatch,
    ],
  ])('refuses %s', async (_, record, reason) => {
    expect(await admitReplayRecord(record, trust())).toMatchObject({ admitted: false, reason });
  });

  it('takes any record as it is when no seal key is set', async () => {
    expect(await admitReplayRecord({ query, body, receivedAt: RECEIVED_AT }, trust({ sealKeys: [] }))).toEqual({
      admitted: true,
    });
  });

  it('admits a record logged before its Sign could be checked once the Sign verifies at its receive time', async () => {
    expect(await admitReplayRecord(unverifiedRecord(RECEIVED_AT - 5_000), trust())).toEqual({ admitted: true });
  });

  it('checks such a Sign against both tokens of a rotation', async () => {
    const rotating = trust({ tokens: async () => ({ callbackToken: 'new-token', callbackTokenNext: TEST_TOKEN }) });
    expect(await admitReplayRecord(unverifiedRecord(RECEIVED_AT), rotating)).toEqual({ admitted: true });
  });

  it.each([
    ['a Sign made with another token', unverifiedRecord(RECEIVED_AT, 'not-the-token'), 'SignMismatch'],
    ['a RequestTime 2 minutes before its receive time', unverifiedRecord(RECEIVED_AT - 120_000), 'RequestTimeStale'],
  ])('refuses %s', async (_, record, detail) => {
    expect(await admitReplayRecord(record, trust())).toEqual({
      admitted: false,
      reason: UntrustedReason.SignRefused,
      detail,
    });
  });

  it('refuses such a record even without seal keys when its Sign fails', async () => {
    const { seal: _, bodySha256: __, ...unsealed } = unverifiedRecord(RECEIVED_AT, 'not-the-token');
    expect(await admitReplayRecord(unsealed, trust({ sealKeys: [] }))).toMatchObject({ admitted: false });
  });

  it('decides nothing while the token cannot be read', async () => {
    const unreadable = trust({ tokens: () => Promise.reject(new Error('ThrottlingException')) });
    await expect(admitReplayRecord(unverifiedRecord(RECEIVED_AT), unreadable)).rejects.toThrow('ThrottlingException');
  });

  it('seals over exactly the fields it names', () => {
    const record = sealed();
    expect(record.seal).toBe(
      replaySeal({ query, receivedAt: RECEIVED_AT, bodySha256: bodySha256Of(body), unverified: undefined }, KEY),
    );
  });
});
