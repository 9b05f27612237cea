import { RejectionReason, type RejectionReasonName } from './constants.js';

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

/** The callback token could not be read from its source: every callback is refused until it can be. */
export class CallbackTokenUnavailableError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CallbackTokenUnavailableError';
  }
}
