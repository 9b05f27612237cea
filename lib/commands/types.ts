import type { ValidatedGroupEvent } from '../eventStore/types.js';

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
  /** The body's bytes when they are not valid UTF-8 (then `rawBody` is their decoding with U+FFFD). */
  rawBodyBytes?: Uint8Array;
  /** Receive time, ms since the epoch. */
  receivedAt: number;
}

/** Reads one command's payload into the event to record; throws WebhookRejectedError only when the group cannot be identified. */
export type CommandHandler = (delivery: WebhookDelivery) => ValidatedGroupEvent;

/** The recorded commands, each with its handler; any command missing from it is acknowledged with OK and not stored. */
export type CommandHandlers = ReadonlyMap<string, CommandHandler>;
