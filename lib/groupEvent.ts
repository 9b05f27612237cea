/** Values a command handler may put on an event item beside the common attributes. */
export type EventFieldValue = string | number | boolean | EventFieldValue[] | { [key: string]: EventFieldValue };

/** A validated event, ready to be recorded. */
export interface GroupEvent {
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
  /** The command's own typed attributes (see the README's item schema). */
  fields: Record<string, EventFieldValue>;
}
