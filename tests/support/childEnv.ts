/**
 * The environment for a child process that must see the local defaults (the sample events' SdkAppid,
 * no token) whatever the developer's shell exports.
 */
export const envWithoutReceiverSettings = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const {
    SDK_APP_ID: _appId,
    CALLBACK_TOKEN: _token,
    CALLBACK_TOKEN_NEXT: _nextToken,
    CALLBACK_MAX_SKEW_SECONDS: _skew,
    CALLBACK_TOKEN_PARAMETER: _tokenParameter,
    ALLOW_UNSIGNED_CALLBACKS: _allowUnsigned,
    GROUP_STATE_UPDATES: _stateUpdates,
    ...env
  } = process.env;
  return { ...env, ...extra };
};
