/**
 * The environment for a child process that must see the local defaults (the sample events' SdkAppid,
 * no token) whatever the developer's shell exports.
 */
export const envWithoutReceiverSettings = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const { SDK_APP_ID: _, CALLBACK_TOKEN: __, GROUP_STATE_UPDATES: ___, ...env } = process.env;
  return { ...env, ...extra };
};
