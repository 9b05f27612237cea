/**
 * DynamoDB could not read or write what a store asked for (unreachable, throttled, refused, too slow).
 * Every store throws this one class; the cause keeps the SDK's error.
 */
export class StoreError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** A conditional write whose condition did not hold: for our stores, a duplicate or a lost race, never a failure. */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';
