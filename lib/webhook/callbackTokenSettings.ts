/** How the webhook finds its callback token, read from the environment with the rest of the settings. */
export interface CallbackTokenSettings {
  /** CALLBACK_TOKEN_PARAMETER: name of the SSM SecureString holding the token (deployed stages). */
  callbackTokenParameter: string | undefined;
  /** ALLOW_UNSIGNED_CALLBACKS: `true` accepts callbacks without any token source; unset behaves as `true` (local tools). */
  allowUnsignedCallbacks: boolean;
  problem?: string | undefined;
}

/**
 * Deployed stages set ALLOW_UNSIGNED_CALLBACKS=false explicitly unless the operator chose otherwise, so a
 * function that lost its token source refuses every callback (NotConfigured) instead of turning Sign off.
 */
export const readCallbackTokenSettings = (env: NodeJS.ProcessEnv): CallbackTokenSettings => {
  const callbackTokenParameter = env.CALLBACK_TOKEN_PARAMETER?.trim() || undefined;
  const allowSetting = env.ALLOW_UNSIGNED_CALLBACKS?.trim() ?? '';
  const plaintextToken = Boolean(env.CALLBACK_TOKEN || env.CALLBACK_TOKEN_NEXT);
  const settings = { callbackTokenParameter, allowUnsignedCallbacks: allowSetting !== 'false' };
  if (!['', 'true', 'false'].includes(allowSetting)) {
    return { ...settings, allowUnsignedCallbacks: false, problem: 'ALLOW_UNSIGNED_CALLBACKS must be true or false' };
  }
  if (callbackTokenParameter !== undefined && plaintextToken) {
    return { ...settings, problem: 'set CALLBACK_TOKEN_PARAMETER or CALLBACK_TOKEN, not both' };
  }
  if (!settings.allowUnsignedCallbacks && callbackTokenParameter === undefined && !plaintextToken) {
    return {
      ...settings,
      problem: 'no callback token source: set CALLBACK_TOKEN_PARAMETER, or ALLOW_UNSIGNED_CALLBACKS=true to accept unsigned callbacks',
    };
  }
  return settings;
};
