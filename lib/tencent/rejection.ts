/**
 * Every way a request can be refused, with its stable ErrorCode and HTTP status.
 * The codes are part of the public contract (docs/reference.md, "Answers and error codes"): never renumber one.
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
  SourceIpNotAllowed: { errorCode: 40304, httpStatus: 403 },
  BodyTooLarge: { errorCode: 41301, httpStatus: 413 },
  StorageFailed: { errorCode: 50001, httpStatus: 500 },
  NotConfigured: { errorCode: 50002, httpStatus: 500 },
  InternalError: { errorCode: 50003, httpStatus: 500 },
  TokenUnavailable: { errorCode: 50004, httpStatus: 500 },
} as const;

export type RejectionReasonName = keyof typeof RejectionReason;

/** Thrown anywhere in the chain to answer Tencent with a FAIL envelope; the message is safe to send back. */
export class WebhookRejectedError extends Error {
  public readonly reason: RejectionReasonName;
  public readonly errorCode: number;
  public readonly httpStatus: number;

  public constructor(reason: RejectionReasonName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WebhookRejectedError';
    this.reason = reason;
    this.errorCode = RejectionReason[reason].errorCode;
    this.httpStatus = RejectionReason[reason].httpStatus;
  }
}
