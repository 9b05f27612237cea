import { readCallbackTokenSettings } from './webhook/callbackTokenSettings.js';

/** Settings read once per cold start. See the README's "Settings" table. */
export interface ReceiverConfig {
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
  /** DynamoDB table for events. Default: the table `npm start` creates locally. */
  tableName: string;
  /** EVENT_RETENTION_DAYS: items expire (DynamoDB TTL) this many days after receipt. Default: unset, kept forever. */
  retentionDays: number | undefined;
  /** CALLBACK_TOKEN_PARAMETER and ALLOW_UNSIGNED_CALLBACKS: see lib/webhook/callbackTokenSettings.ts. */
  callbackTokenParameter?: string | undefined;
  allowUnsignedCallbacks?: boolean;
  /**
   * What is wrong with the settings, if anything. The function never fails to start over a bad setting:
   * it answers every request with NotConfigured naming the setting instead (the safe, visible failure).
   */
  problem?: string | undefined;
}

/** The table `npm start`, `npm run invoke` and `serverless invoke local` share (the `local` stage's name). */
export const LOCAL_TABLE_NAME = 'tencent-chat-webhooks-local-events';
/** The sibling product with the same Sign scheme rejects a RequestTime more than 60 s away. */
export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 60;
/** A longer window makes a captured Sign replayable for longer; an hour is the most we accept. */
export const MAX_CLOCK_SKEW_SECONDS_LIMIT = 3_600;

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

export const readReceiverConfig = (env: NodeJS.ProcessEnv = process.env): ReceiverConfig => {
  const skew = readMaxClockSkew(env.CALLBACK_MAX_SKEW_SECONDS);
  const tokenSettings = readCallbackTokenSettings(env);
  return {
    sdkAppId: env.SDK_APP_ID?.trim() ?? '',
    callbackToken: optionalSecret(env.CALLBACK_TOKEN),
    callbackTokenNext: optionalSecret(env.CALLBACK_TOKEN_NEXT),
    maxClockSkewSeconds: skew.seconds,
    tableName: env.TABLE_NAME?.trim() || LOCAL_TABLE_NAME,
    retentionDays: positiveNumber(env.EVENT_RETENTION_DAYS),
    ...(tokenSettings.callbackTokenParameter === undefined ? {} : { callbackTokenParameter: tokenSettings.callbackTokenParameter }),
    ...(tokenSettings.allowUnsignedCallbacks ? {} : { allowUnsignedCallbacks: false }),
    problem: skew.problem ?? tokenSettings.problem,
  };
};
