/** Settings read once per cold start. See the README's "Settings" table. */
export interface ReceiverConfig {
  /** The Chat app's SDKAppID; empty means not configured, and every request is refused with NotConfigured. */
  sdkAppId: string;
  /** Callback token from the Chat console; when set, Sign and RequestTime are required. */
  callbackToken: string | undefined;
  /** How far RequestTime may be from our clock, either way. Default: 60 s, as the sibling product documents. */
  maxClockSkewSeconds: number;
  /** DynamoDB table for events. Default: the table `npm start` creates locally. */
  tableName: string;
  /** EVENT_RETENTION_DAYS: items expire (DynamoDB TTL) this many days after receipt. Default: unset, kept forever. */
  retentionDays: number | undefined;
}

/** The table `npm start`, `npm run invoke` and `serverless invoke local` share (the `local` stage's name). */
export const LOCAL_TABLE_NAME = 'tencent-chat-webhooks-local-events';
export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 60;

const positiveNumber = (value: string | undefined): number | undefined => {
  const number = Number(value);
  return value && Number.isFinite(number) && number > 0 ? number : undefined;
};

export const readReceiverConfig = (env: NodeJS.ProcessEnv = process.env): ReceiverConfig => ({
  sdkAppId: env.SDK_APP_ID?.trim() ?? '',
  callbackToken: env.CALLBACK_TOKEN ? env.CALLBACK_TOKEN : undefined,
  maxClockSkewSeconds: DEFAULT_MAX_CLOCK_SKEW_SECONDS,
  tableName: env.TABLE_NAME?.trim() || LOCAL_TABLE_NAME,
  retentionDays: positiveNumber(env.EVENT_RETENTION_DAYS),
});
