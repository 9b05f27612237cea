/** A typed field's value as a command handler reads it: plain JSON, never null. */
export type TypedFieldValue = string | number | boolean | TypedFieldValue[] | { [key: string]: TypedFieldValue };

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

/** An event read from a delivery, ready to be recorded: what a command handler makes of one delivery. */
export interface ValidatedGroupEvent {
  deliveryId: string;
  sdkAppId: string;
  command: string;
  groupId: string;
  /** Tencent's EventTime in ms; undefined when the request carried none (the store then uses the receive time). */
  eventTime: number | undefined;
  receivedAt: number;
  clientIp: string | undefined;
  optPlatform: string | undefined;
  rawBody: string;
  /** The body's bytes when they are not valid UTF-8: stored as they are, never as the text of `rawBody`. */
  rawBodyBytes?: Uint8Array;
  /** The command's own typed attributes (docs/reference.md, "The event item"). */
  fields: Record<string, TypedFieldValue>;
  /** What in the body did not match Tencent's documented shape (recorded anyway); empty when all did. */
  shapeNotes: string[];
}

/**
 * Reads one command's payload into the event to record; throws WebhookRejectedError only when the group cannot be
 * identified.
 */
export type CommandHandler = (delivery: WebhookDelivery) => ValidatedGroupEvent;

/** The recorded commands, each with its handler; any command missing from it is acknowledged with OK and not stored. */
export type CommandHandlers = ReadonlyMap<string, CommandHandler>;
