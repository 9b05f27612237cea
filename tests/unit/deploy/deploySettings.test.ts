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
  api4xxAlarmPercent: 5,
  functionTimeoutSeconds: 3,
  accountConcurrencyLimit: 1000,
  tableDeletionProtection: 'true',
  eventSource: 'tencent-chat.group-webhooks',
  eventArchiveRetentionDays: 30,
  forwardTo: '',
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
    ['api4xxAlarmPercent', '101'],
    ['functionTimeoutSeconds', '31'],
    ['accountConcurrencyLimit', '0'],
    ['tableDeletionProtection', 'yes'],
    ['eventSource', 'aws.chat'],
    ['eventSource', 'AWS.chat'],
    ['eventSource', 'my source'],
    ['eventSource', 'x'.repeat(257)],
    ['eventArchiveRetentionDays', '0'],
    ['eventArchiveRetentionDays', '36501'],
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

describe('checkDeploySettings: forwardTo', () => {
  it('accepts a list from the stage params and the same list as JSON from --param', () => {
    const forwardTo = [{ url: 'https://hooks.example.com/in', commands: ['Group.CallbackAfterGroupFull'] }];
    expect(checkDeploySettings('prod', { ...DEFAULTS, forwardTo }).errors).toEqual([]);
    expect(checkDeploySettings('prod', { ...DEFAULTS, forwardTo: JSON.stringify(forwardTo) }).errors).toEqual([]);
  });

  it("refuses a stage name too long for EventBridge's names", () => {
    expect(checkDeploySettings('x'.repeat(25), DEFAULTS).errors).toEqual([]);
    expect(checkDeploySettings('x'.repeat(26), DEFAULTS).errors).toEqual([
      expect.stringMatching(/^stage: x{26} is longer than 25 characters/),
    ]);
  });

  it('refuses a bad entry with one line naming the entry and the problem', () => {
    const { errors } = checkDeploySettings('prod', {
      ...DEFAULTS,
      forwardTo: [{ url: 'http://hooks.example.com/in' }, { url: 'https://b.example.com', ratePerSecond: 301 }],
    });
    expect(errors).toEqual([
      expect.stringMatching(/^forwardTo\[1\]\.url: must be https/),
      expect.stringMatching(/^forwardTo\[2\]\.ratePerSecond: must be a whole number from 1 to 300, not "301"/),
    ]);
  });
});

describe('checkDeploySettings: what would break at run time', () => {
  it('refuses SILENT in a deployed stage, naming why and the quietest level that keeps the failures', () => {
    const { errors } = checkDeploySettings('prod', { ...DEFAULTS, logLevel: 'silent' });

    expect(errors).toEqual([
      expect.stringMatching(/^logLevel: SILENT would silence the webhook's "failed" lines in stage prod: .*use ERROR/),
    ]);
    expect(errors[0]).toContain('params.prod.logLevel');
  });

  it("keeps SILENT for the local stage, and warns that WARN or ERROR empty the dashboard's delivery counts", () => {
    const local = checkDeploySettings('local', { ...DEFAULTS, logLevel: 'SILENT' });
    const quiet = checkDeploySettings('prod', { ...DEFAULTS, logLevel: 'ERROR' });

    expect(local).toEqual({ errors: [], warnings: [] });
    expect(quiet.errors).toEqual([]);
    expect(quiet.warnings).toEqual([expect.stringMatching(/^logLevel=ERROR: .*dashboard's recorded/)]);
  });

  it('refuses inline state updates in a deployed stage (no Query for the webhook) and keeps them locally', () => {
    const deployed = checkDeploySettings('prod', { ...DEFAULTS, groupStateUpdates: 'inline' });
    const local = checkDeploySettings('local', { ...DEFAULTS, groupStateUpdates: 'inline' });

    expect(deployed.errors).toEqual([
      expect.stringMatching(/^groupStateUpdates: inline is for the local stage.*AccessDenied\): use stream/),
    ]);
    expect(local.errors).toEqual([]);
  });

  it.each([
    ['tableMaxReadRequestUnits', 'tableMaxWriteRequestUnits'],
    ['tableMaxWriteRequestUnits', 'tableMaxReadRequestUnits'],
  ])('refuses %s without %s, naming the one to add', (given, missing) => {
    const { errors } = checkDeploySettings('prod', { ...DEFAULTS, [given]: '1000' });

    expect(errors).toEqual([
      expect.stringMatching(
        new RegExp(`^${missing}: required with ${given}: .*set ${missing} too, or remove ${given}`),
      ),
    ]);
  });

  it('accepts both throughput caps, or neither', () => {
    const both = { ...DEFAULTS, tableMaxReadRequestUnits: '1000', tableMaxWriteRequestUnits: 500 };

    expect(checkDeploySettings('prod', both).errors).toEqual([]);
    expect(checkDeploySettings('prod', { ...DEFAULTS, tableMaxReadRequestUnits: '' }).errors).toEqual([]);
  });

  it('refuses a reserved concurrency that leaves less than the 100 Lambda keeps unreserved, stating the rule', () => {
    const { errors } = checkDeploySettings('prod', { ...DEFAULTS, webhookReservedConcurrency: '901' });

    expect(errors).toEqual([
      expect.stringMatching(
        /^webhookReservedConcurrency: 901 is more than this account can reserve: Lambda keeps 100 .* at most 900/,
      ),
    ]);
    expect(errors[0]).toContain('set accountConcurrencyLimit to the new quota');
  });

  it("accepts a reservation up to the account's limit less 100, with the limit the account states", () => {
    expect(checkDeploySettings('prod', { ...DEFAULTS, webhookReservedConcurrency: 900 }).errors).toEqual([]);
    expect(
      checkDeploySettings('prod', { ...DEFAULTS, webhookReservedConcurrency: '4900', accountConcurrencyLimit: '5000' })
        .errors,
    ).toEqual([]);
    expect(
      checkDeploySettings('prod', { ...DEFAULTS, webhookReservedConcurrency: '1', accountConcurrencyLimit: '10' })
        .errors,
    ).toEqual([expect.stringContaining('accountConcurrencyLimit 10 at most 0')]);
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
