import { describe, expect, it } from 'vitest';
import { readCallbackTokenSettings, readWebhookConfig } from '../../../lib/config.js';
import {
  CallbackTokenUnavailableError,
  parseCallbackTokenValue,
  webhookTokenSource,
} from '../../../lib/webhook/callbackTokenSource.js';
import { captureLogs } from '../../support/captureLogs.js';

describe('readCallbackTokenSettings', () => {
  it('reads the parameter name, and treats an unset ALLOW_UNSIGNED_CALLBACKS as allowed (local tools)', () => {
    expect(readCallbackTokenSettings({ CALLBACK_TOKEN_PARAMETER: ' /chat/token ' })).toEqual({
      callbackTokenParameter: '/chat/token',
      allowUnsignedCallbacks: true,
    });
    expect(readCallbackTokenSettings({}).problem).toBeUndefined();
  });

  it('names the missing token source when a deployed stage forbids unsigned callbacks', () => {
    const settings = readCallbackTokenSettings({ ALLOW_UNSIGNED_CALLBACKS: 'false' });
    expect(settings.problem).toBe(
      'no callback token source: set CALLBACK_TOKEN_PARAMETER, or ALLOW_UNSIGNED_CALLBACKS=true to accept ' +
        'unsigned callbacks',
    );
    expect(readWebhookConfig({ SDK_APP_ID: '1400123456', ALLOW_UNSIGNED_CALLBACKS: 'false' }).problem).toBe(
      settings.problem,
    );
  });

  it('accepts either token source when unsigned callbacks are forbidden', () => {
    expect(
      readCallbackTokenSettings({ ALLOW_UNSIGNED_CALLBACKS: 'false', CALLBACK_TOKEN_PARAMETER: '/t' }).problem,
    ).toBeUndefined();
    expect(
      readCallbackTokenSettings({ ALLOW_UNSIGNED_CALLBACKS: 'false', CALLBACK_TOKEN: 'tok' }).problem,
    ).toBeUndefined();
  });

  it.each([
    [{ ALLOW_UNSIGNED_CALLBACKS: 'yes' }, 'ALLOW_UNSIGNED_CALLBACKS must be true or false'],
    [
      { CALLBACK_TOKEN_PARAMETER: '/t', CALLBACK_TOKEN: 'tok' },
      'set CALLBACK_TOKEN_PARAMETER or CALLBACK_TOKEN, not both',
    ],
  ])('refuses %o', (env, problem) => {
    expect(readCallbackTokenSettings(env).problem).toBe(problem);
  });
});

describe('parseCallbackTokenValue', () => {
  it('reads one token, or two on two lines', () => {
    expect(parseCallbackTokenValue('tok\n')).toEqual({ callbackToken: 'tok', callbackTokenNext: undefined });
    expect(parseCallbackTokenValue(' old \r\n new ')).toEqual({ callbackToken: 'old', callbackTokenNext: 'new' });
  });

  it.each([undefined, '', '\n', 'a\nb\nc'])('refuses %j rather than running unsigned', (value) => {
    expect(() => parseCallbackTokenValue(value)).toThrow(CallbackTokenUnavailableError);
  });
});

describe('webhookTokenSource', () => {
  it('warns in the function log at cold start when callbacks are allowed unsigned', () => {
    const logs = captureLogs();
    try {
      const env = { SDK_APP_ID: '1400123456', ALLOW_UNSIGNED_CALLBACKS: 'true' };
      expect(webhookTokenSource(readWebhookConfig(env), env)).toBeUndefined();
      expect(logs.entries()).toEqual([
        expect.objectContaining({ level: 'WARN', message: 'callbacks are accepted unsigned' }),
      ]);
    } finally {
      logs.restore();
    }
  });

  it('says nothing for the local tools, where the setting is unset', () => {
    const logs = captureLogs();
    try {
      expect(webhookTokenSource(readWebhookConfig({ SDK_APP_ID: '1400000001' }), {})).toBeUndefined();
      expect(logs.entries()).toEqual([]);
    } finally {
      logs.restore();
    }
  });
});
