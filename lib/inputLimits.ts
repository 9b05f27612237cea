/**
 * Bounds on what a request may carry, checked before any work is done on it. Each is far above what
 * Tencent sends and keeps every accepted request storable (see the README's "Input limits").
 */
export const InputLimit = {
  /**
   * Body bytes as received (decoded when base64). Attribute changes carry at most 16 KB; a disband of a
   * group with a few thousand members is the largest real body. The item stores the body and typed fields
   * taken from it (never larger than the body), so 2 × 192 KiB stays under DynamoDB's 400 KB item limit.
   */
  bodyBytes: 192 * 1024,
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
