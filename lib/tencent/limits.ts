/**
 * Bounds on what a request may carry, checked before any work is done on it. Each is far above what
 * Tencent sends and keeps every accepted request storable (docs/reference.md, "Input limits").
 */
export const InputLimit = {
  /**
   * Body bytes as received (decoded when base64): 4.5 MiB, what Lambda's 6 MB request limit lets through as base64
   * (an HTTP API base64-encodes a body sent without a text Content-Type, as Tencent's is). A 6,000-member disband
   * is about 324 KB, a 50,000-member one about 2.7 MB. A body too large for one DynamoDB item is compressed and,
   * if need be, split over part items (lib/eventStore/bodyLayout.ts).
   */
  bodyBytes: 4.5 * 1024 * 1024,
  /** EventTime: at most this many digits of ms (year 33658), so every value is a safe integer and fits the sort key. */
  eventTimeDigits: 15,
  /** JSON nesting depth of the body. Tencent's bodies are 3 deep; DynamoDB refuses maps deeper than 32. */
  nestingDepth: 32,
  /** Each of Tencent's query parameters (SdkAppid, CallbackCommand, ClientIP, OptPlatform, Sign, RequestTime). */
  queryParameterLength: 256,
  /** GroupId: Tencent's custom IDs are at most 48 bytes; the key `GROUP#<id>` must stay far below 2048 bytes. */
  groupIdLength: 128,
  /** UserIDs (owner, operator, members): Tencent allows 32 bytes. */
  accountLength: 128,
  /** Group name (Tencent: 100 bytes), Type and OptionType. */
  textLength: 1024,
  /** Attribute key (Tencent: 32 bytes) and value (Tencent: 4 KB). */
  attributeKeyLength: 256,
  attributeValueLength: 16 * 1024,
} as const;

/** Keys that could reach an object's prototype if ever copied with assignment semantics. */
export const FORBIDDEN_BODY_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
