/** One verified webhook request, body parsed, before any command-specific validation. */
export interface WebhookDelivery {
  sdkAppId: string;
  command: string;
  clientIp: string | undefined;
  optPlatform: string | undefined;
  /** The parsed JSON object, unknown fields included. */
  body: Record<string, unknown>;
  /** The body text exactly as received (base64 already decoded). */
  rawBody: string;
  /** Receive time, ms since the epoch. */
  receivedAt: number;
}
