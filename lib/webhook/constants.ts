/**
 * Bounds on what a request may carry, checked before any work is done on it. Each is far above what
 * Tencent sends and keeps every accepted request storable (see the README's "Input limits").
 */
export const InputLimit = {
  /**
   * Body bytes as received (decoded when base64): 4.5 MiB, what Lambda's 6 MB request limit lets through as base64
   * (an HTTP API base64-encodes a body sent without a text Content-Type, as Tencent's is). A 6,000-member disband
   * is about 324 KB, a 50,000-member one about 2.7 MB. A body too large for one DynamoDB item is compressed and,
   * if need be, split over part items (lib/eventStore/bodyLayout.ts).
   */
  bodyBytes: 4.5 * 1024 * 1024,
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

/**
 * Every way a request can be refused, with its stable ErrorCode and HTTP status.
 * The codes are part of the public contract (documented in the README): never renumber one.
 * Scheme: HTTP status × 100 + a running number.
 */
export const RejectionReason = {
  BodyMissing: { errorCode: 40001, httpStatus: 400 },
  BodyNotJson: { errorCode: 40002, httpStatus: 400 },
  BodyNotObject: { errorCode: 40003, httpStatus: 400 },
  CommandMissing: { errorCode: 40004, httpStatus: 400 },
  CommandMismatch: { errorCode: 40005, httpStatus: 400 },
  GroupIdInvalid: { errorCode: 40006, httpStatus: 400 },
  EventTimeInvalid: { errorCode: 40007, httpStatus: 400 },
  PayloadInvalid: { errorCode: 40008, httpStatus: 400 },
  BodyTooDeep: { errorCode: 40009, httpStatus: 400 },
  BodyKeyForbidden: { errorCode: 40010, httpStatus: 400 },
  QueryParameterTooLong: { errorCode: 40011, httpStatus: 400 },
  SdkAppIdMissing: { errorCode: 40101, httpStatus: 401 },
  SignMissing: { errorCode: 40102, httpStatus: 401 },
  RequestTimeInvalid: { errorCode: 40103, httpStatus: 401 },
  SdkAppIdMismatch: { errorCode: 40301, httpStatus: 403 },
  RequestTimeStale: { errorCode: 40302, httpStatus: 403 },
  SignMismatch: { errorCode: 40303, httpStatus: 403 },
  BodyTooLarge: { errorCode: 41301, httpStatus: 413 },
  StorageFailed: { errorCode: 50001, httpStatus: 500 },
  NotConfigured: { errorCode: 50002, httpStatus: 500 },
  InternalError: { errorCode: 50003, httpStatus: 500 },
  TokenUnavailable: { errorCode: 50004, httpStatus: 500 },
} as const;

export type RejectionReasonName = keyof typeof RejectionReason;
