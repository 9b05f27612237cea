import { expect } from 'vitest';
import type { RejectionReasonName } from '../../lib/tencent/rejection.js';
import { WebhookRejectedError } from '../../lib/tencent/rejection.js';

/** The reason `act` was refused with, or undefined when it was not; any other error fails the test. */
export const rejectionReasonOf = (act: () => unknown): RejectionReasonName | undefined => {
  try {
    act();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookRejectedError);
    return (error as WebhookRejectedError).reason;
  }
};
