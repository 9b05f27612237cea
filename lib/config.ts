/**
 * Every setting the functions read, read here once per cold start; each function reads only what it needs
 * (docs/reference.md, "Settings", documents them all).
 */

/** The table `npm start`, `npm run invoke` and `serverless invoke local` share (the `local` stage's name). */
export const LOCAL_TABLE_NAME = 'tencent-chat-webhooks-local-events';
/** The sibling product with the same Sign scheme rejects a RequestTime more than 60 s away. */
export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 60;
/** A longer window makes a captured Sign replayable for longer; an hour is the most we accept. */
export const MAX_CLOCK_SKEW_SECONDS_LIMIT = 3_600;

/**
 * GROUP_STATE_UPDATES: where group state items are updated.
 * - `stream` (default, AWS): the `groupState` function consumes the table's DynamoDB stream; the webhook
 *   keeps doing exactly one write per event, well inside Tencent's 2-second window.
 * - `inline` (the `local` stage and the local scripts: dynalite has no streams): the webhook applies the
 *   same merge right after it recorded an event, and after a duplicate too (an earlier write may have landed unseen).
 */
export const GroupStateUpdates = { Stream: 'stream', Inline: 'inline' } as const;
export type GroupStateUpdatesName = (typeof GroupStateUpdates)[keyof typeof GroupStateUpdates];

/** The webhook's settings. */
export interface WebhookConfig {
  /** The Chat app's SDKAppID; empty means not configured, and every request is refused with NotConfigured. */
  sdkAppId: string;
  /** CALLBACK_TOKEN, the token set in the Chat console; when set, Sign and RequestTime are required. */
  callbackToken: string | undefined;
  /**
   * CALLBACK_TOKEN_NEXT: a second token accepted beside the first while the console is switched over to it.
   * Either token alone turns the Sign check on.
   */
  callbackTokenNext: string | undefined;
  /** CALLBACK_MAX_SKEW_SECONDS: how far RequestTime may be from our clock, either way. Default: 60 s. */
  maxClockSkewSeconds: number;
  /** TABLE_NAME: the events table. Default: the table `npm start` creates locally. */
  tableName: string;
  /** EVENT_RETENTION_DAYS: items expire (DynamoDB TTL) this many days after receipt. Default: unset, kept forever. */
  retentionDays: number | undefined;
  /** CALLBACK_TOKEN_PARAMETER and ALLOW_UNSIGNED_CALLBACKS: see readCallbackTokenSettings below. */
  callbackTokenParameter?: string | undefined;
  allowUnsignedCallbacks?: boolean;
  /**
   * SOURCE_IP_ALLOWLIST: CIDRs or addresses (comma- or space-separated) the webhook accepts callbacks from, checked
   * against API Gateway's source IP. Default: empty, any address.
   */
  sourceIpAllowlist?: string[];
  /**
   * REPLAY_SEAL_KEY: the keys of the seal on every replay record the webhook logs, one or several separated by new
   * lines or commas; the first seals, all verify (an older key stays listed while records it sealed may still be
   * replayed). In deployed stages a secret the stack generates. Empty: records are logged unsealed and the redrive
   * and `npm run replay` record them unchecked (docs/operate.md, "Who can have a delivery recorded").
   */
  replaySealKeys?: string[];
  /**
   * What is wrong with the settings, if anything. The function never fails to start over a bad setting:
   * it answers every request with NotConfigured naming the setting instead (the safe, visible failure).
   */
  problem?: string | undefined;
}

const positiveNumber = (value: string | undefined): number | undefined => {
  const number = Number(value);
  return value && Number.isFinite(number) && number > 0 ? number : undefined;
};

const optionalSecret = (value: string | undefined): string | undefined => (value ? value : undefined);

const readMaxClockSkew = (value: string | undefined): { seconds: number; problem?: string } => {
  if (value === undefined || value.trim() === '') return { seconds: DEFAULT_MAX_CLOCK_SKEW_SECONDS };
  const seconds = Number(value);
  if (Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_CLOCK_SKEW_SECONDS_LIMIT) return { seconds };
  return {
    seconds: DEFAULT_MAX_CLOCK_SKEW_SECONDS,
    problem: `CALLBACK_MAX_SKEW_SECONDS must be a whole number of seconds from 1 to ${MAX_CLOCK_SKEW_SECONDS_LIMIT}`,
  };
};

/** How the webhook finds its callback token, read from the environment with the rest of the settings. */
export interface CallbackTokenSettings {
  /** CALLBACK_TOKEN_PARAMETER: name of the SSM SecureString holding the token (deployed stages). */
  callbackTokenParameter: string | undefined;
  /**
   * ALLOW_UNSIGNED_CALLBACKS: `true` accepts callbacks without any token source; unset behaves as `true` (local tools).
   */
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
      problem:
        'no callback token source: set CALLBACK_TOKEN_PARAMETER, or ALLOW_UNSIGNED_CALLBACKS=true to accept ' +
        'unsigned callbacks',
    };
  }
  return settings;
};

/** TABLE_NAME, the one setting every function reads. */
export const readTableName = (env: NodeJS.ProcessEnv = process.env): string =>
  env.TABLE_NAME?.trim() || LOCAL_TABLE_NAME;

export const readGroupStateUpdates = (env: NodeJS.ProcessEnv = process.env): GroupStateUpdatesName =>
  env.GROUP_STATE_UPDATES?.trim().toLowerCase() === GroupStateUpdates.Inline
    ? GroupStateUpdates.Inline
    : GroupStateUpdates.Stream;

const readSourceIpAllowlist = (value: string | undefined): string[] =>
  (value ?? '').split(/[\s,]+/).filter((entry) => entry !== '');

const readReplaySealKeys = (value: string | undefined): string[] =>
  (value ?? '')
    .split(/[\n,]+/)
    .map((key) => key.trim())
    .filter((key) => key !== '');

export const readWebhookConfig = (env: NodeJS.ProcessEnv = process.env): WebhookConfig => {
  const sourceIpAllowlist = readSourceIpAllowlist(env.SOURCE_IP_ALLOWLIST);
  const replaySealKeys = readReplaySealKeys(env.REPLAY_SEAL_KEY);
  const skew = readMaxClockSkew(env.CALLBACK_MAX_SKEW_SECONDS);
  const tokenSettings = readCallbackTokenSettings(env);
  return {
    sdkAppId: env.SDK_APP_ID?.trim() ?? '',
    callbackToken: optionalSecret(env.CALLBACK_TOKEN),
    callbackTokenNext: optionalSecret(env.CALLBACK_TOKEN_NEXT),
    maxClockSkewSeconds: skew.seconds,
    tableName: readTableName(env),
    retentionDays: positiveNumber(env.EVENT_RETENTION_DAYS),
    ...(tokenSettings.callbackTokenParameter === undefined
      ? {}
      : { callbackTokenParameter: tokenSettings.callbackTokenParameter }),
    ...(tokenSettings.allowUnsignedCallbacks ? {} : { allowUnsignedCallbacks: false }),
    ...(sourceIpAllowlist.length === 0 ? {} : { sourceIpAllowlist }),
    ...(replaySealKeys.length === 0 ? {} : { replaySealKeys }),
    problem: skew.problem ?? tokenSettings.problem,
  };
};
