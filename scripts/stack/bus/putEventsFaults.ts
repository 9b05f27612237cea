import { AwsJsonError } from './awsJsonProtocol.js';
import type { PutEventsRequestEntry } from './putEventsEntry.js';

/** How EventBridge fails a whole PutEvents call: throttled (HTTP 400) or its own failure (HTTP 500). */
export type WholeCallFault = 'ThrottlingException' | 'InternalException';

const WHOLE_CALL_ERRORS: Record<WholeCallFault, AwsJsonError> = {
  ThrottlingException: new AwsJsonError('ThrottlingException', 'Rate exceeded.', 400),
  InternalException: new AwsJsonError('InternalException', 'Internal service error.', 500),
};

/**
 * Failures the tests inject into the local bus, which no real EventBridge produces on demand. Nothing fails until a
 * test asks for it.
 */
export class PutEventsFaults {
  #failingCalls: { count: number; fault: WholeCallFault } = { count: 0, fault: 'ThrottlingException' };
  #failingEntries: { count: number; matching: (entry: PutEventsRequestEntry) => boolean } = {
    count: 0,
    matching: () => true,
  };

  /** The next `count` PutEvents calls (each HTTP request, the SDK's own retries included) fail whole. */
  failNextCalls(count: number, fault: WholeCallFault = 'ThrottlingException'): void {
    this.#failingCalls = { count, fault };
  }

  /**
   * The next `count` entries (`Infinity`: until `clear()`) that `matching` picks, across calls, fail alone with
   * `InternalFailure`, as in a partial failure; the call's other entries are accepted.
   */
  failNextEntries(count: number, matching: (entry: PutEventsRequestEntry) => boolean = () => true): void {
    this.#failingEntries = { count, matching };
  }

  clear(): void {
    this.failNextCalls(0);
    this.failNextEntries(0);
  }

  /** Throws the error a failing call answers with, if this call is to fail. */
  throwIfCallFails(): void {
    if (this.#failingCalls.count <= 0) return;
    this.#failingCalls.count -= 1;
    throw WHOLE_CALL_ERRORS[this.#failingCalls.fault];
  }

  /** Whether this entry fails with `InternalFailure` (and counts it). */
  entryFails(entry: PutEventsRequestEntry): boolean {
    if (this.#failingEntries.count <= 0 || !this.#failingEntries.matching(entry)) return false;
    this.#failingEntries.count -= 1;
    return true;
  }
}
