import type { StorableValue } from '../dynamo/attributeValue.js';

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
  /** The command's own typed attributes (see the README's item schema). */
  fields: Record<string, StorableValue>;
  /** What in the body did not match Tencent's documented shape (recorded anyway); empty when all did. */
  shapeNotes: string[];
}

export const RecordResult = { Recorded: 'recorded', Duplicate: 'duplicate' } as const;
export type RecordResultName = (typeof RecordResult)[keyof typeof RecordResult];

/** Records each delivery at most once; throws StoreError when storage fails. */
export interface EventStore {
  recordEvent(event: ValidatedGroupEvent): Promise<RecordResultName>;
}
