import { describe, expect, it } from 'vitest';
import { LOCAL_TABLE_NAME, readWebhookConfig } from '../../lib/config.js';

describe('readWebhookConfig', () => {
  it('reads the documented variables', () => {
    expect(
      readWebhookConfig({
        SDK_APP_ID: ' 1400123456 ',
        CALLBACK_TOKEN: 'tok',
        TABLE_NAME: 'events-prod',
        EVENT_RETENTION_DAYS: '30',
      }),
    ).toEqual({
      sdkAppId: '1400123456',
      callbackToken: 'tok',
      maxClockSkewSeconds: 60,
      tableName: 'events-prod',
      retentionDays: 30,
    });
  });

  it('reads SOURCE_IP_ALLOWLIST as entries separated by commas or white space, and leaves it out when empty', () => {
    expect(readWebhookConfig({ SOURCE_IP_ALLOWLIST: ' 192.0.2.0/24, 2001:db8::/32\n203.0.113.9 ' })).toMatchObject({
      sourceIpAllowlist: ['192.0.2.0/24', '2001:db8::/32', '203.0.113.9'],
    });
    expect(readWebhookConfig({ SOURCE_IP_ALLOWLIST: ' , ' })).not.toHaveProperty('sourceIpAllowlist');
  });

  it('reads REPLAY_SEAL_KEY as keys separated by new lines or commas, the sealing one first; none when empty', () => {
    expect(readWebhookConfig({ REPLAY_SEAL_KEY: ' new-key \nold-key,\n' })).toMatchObject({
      replaySealKeys: ['new-key', 'old-key'],
    });
    expect(readWebhookConfig({ REPLAY_SEAL_KEY: '' })).not.toHaveProperty('replaySealKeys');
    expect(readWebhookConfig({})).not.toHaveProperty('replaySealKeys');
  });

  it('treats empty or unusable values as unset', () => {
    expect(
      readWebhookConfig({ SDK_APP_ID: '', CALLBACK_TOKEN: '', TABLE_NAME: ' ', EVENT_RETENTION_DAYS: 'forever' }),
    ).toEqual({
      sdkAppId: '',
      callbackToken: undefined,
      maxClockSkewSeconds: 60,
      tableName: LOCAL_TABLE_NAME,
      retentionDays: undefined,
    });
    expect(readWebhookConfig({ EVENT_RETENTION_DAYS: '-3' }).retentionDays).toBeUndefined();
  });

  it('reads the rotation token and the freshness window', () => {
    const config = readWebhookConfig({
      CALLBACK_TOKEN: 'old',
      CALLBACK_TOKEN_NEXT: 'new',
      CALLBACK_MAX_SKEW_SECONDS: '300',
    });
    expect(config).toMatchObject({ callbackToken: 'old', callbackTokenNext: 'new', maxClockSkewSeconds: 300 });
    expect(config.problem).toBeUndefined();
  });

  it.each(['0', '-5', '1.5', 'sixty', '3601'])(
    'names CALLBACK_MAX_SKEW_SECONDS=%s as the problem instead of guessing a window',
    (value) => {
      const config = readWebhookConfig({ SDK_APP_ID: '1400123456', CALLBACK_MAX_SKEW_SECONDS: value });
      expect(config.problem).toBe('CALLBACK_MAX_SKEW_SECONDS must be a whole number of seconds from 1 to 3600');
    },
  );
});
