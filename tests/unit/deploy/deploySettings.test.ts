import { describe, expect, it } from 'vitest';
import { checkDeploySettings } from '../../../scripts/deploy/deploySettings.js';
import { localStageRefusal } from '../../../scripts/deploy/localStageGuard.js';

const DEFAULTS = {
  sdkAppId: '1400123456',
  region: 'eu-west-1',
  callbackTokenParameter: '/chat/prod/callback-token',
  allowUnsignedCallbacks: 'false',
  logLevel: 'INFO',
  groupStateUpdates: 'stream',
  throttleRateLimit: 1000,
  throttleBurstLimit: 2000,
  iteratorAgeAlarmSeconds: 300,
};

describe('checkDeploySettings', () => {
  it('accepts a complete deployed stage, numbers from the file and strings from --param alike', () => {
    expect(checkDeploySettings('prod', DEFAULTS)).toEqual({ errors: [], warnings: [] });
    expect(checkDeploySettings('prod', { ...DEFAULTS, throttleRateLimit: '1000', eventRetentionDays: '90' })).toEqual({
      errors: [],
      warnings: [],
    });
  });

  it('accepts the local stage without region, token source or SdkAppid check beyond the format', () => {
    expect(
      checkDeploySettings('local', {
        ...DEFAULTS,
        region: '',
        callbackTokenParameter: '',
        allowUnsignedCallbacks: '',
        callbackToken: 'tok',
      }).errors,
    ).toEqual([]);
  });

  it('warns, and does not refuse, a deployed stage explicitly allowed to run unsigned', () => {
    const check = checkDeploySettings('dev', {
      ...DEFAULTS,
      callbackTokenParameter: '',
      allowUnsignedCallbacks: 'true',
    });
    expect(check.errors).toEqual([]);
    expect(check.warnings).toEqual([
      expect.stringContaining('allowUnsignedCallbacks=true: stage dev accepts callbacks without a Sign'),
    ]);
  });

  it.each([
    ['maxClockSkewSeconds', '3601'],
    ['eventRetentionDays', 'forever'],
    ['logLevel', 'verbose'],
    ['throttleRateLimit', '0'],
    ['throttleBurstLimit', '5001'],
    ['webhookReservedConcurrency', '0'],
    ['tableMaxReadRequestUnits', '-1'],
    ['alarmEmail', 'ops@'],
    ['sdkAppId', 'my-app'],
    ['region', 'Europe'],
    ['groupStateUpdates', 'both'],
  ])('names %s=%s', (name, value) => {
    const { errors } = checkDeploySettings('prod', { ...DEFAULTS, [name]: value });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^${name}: must .*${value}`, 'i'));
  });

  it('refuses a plaintext token in a deployed stage and names where the token belongs', () => {
    const { errors } = checkDeploySettings('prod', { ...DEFAULTS, callbackToken: 'secret' });
    expect(errors).toEqual([expect.stringMatching(/^callbackToken: .*SSM SecureString.*callbackTokenParameter/)]);
    expect(errors[0]).not.toContain('secret');
  });
});

describe('localStageRefusal', () => {
  it('refuses deploying and packaging the local stage, naming --stage', () => {
    expect(localStageRefusal(['deploy'], 'local')).toContain('serverless deploy --stage prod');
    expect(localStageRefusal(['deploy', 'function'], 'local')).toContain('serverless deploy function --stage prod');
    expect(localStageRefusal(['package'], 'local')).toContain('--stage');
  });

  it('lets every local command and every other stage through', () => {
    expect(localStageRefusal(['offline', 'start'], 'local')).toBeUndefined();
    expect(localStageRefusal(['invoke', 'local'], 'local')).toBeUndefined();
    expect(localStageRefusal(['print'], 'local')).toBeUndefined();
    expect(localStageRefusal(['deploy'], 'prod')).toBeUndefined();
  });
});
