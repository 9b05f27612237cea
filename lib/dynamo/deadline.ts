/** Work that did not finish in its time budget. */
export class DeadlineExceededError extends Error {
  public constructor(public readonly deadlineMs: number) {
    super(`did not finish within ${deadlineMs} ms`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Settles with `work`, or rejects at the deadline, whichever comes first, even while an SDK retry sleeps in
 * a back-off delay. The work itself is not cancelled: each DynamoDB attempt has its own timeouts, and a write
 * that lands after the answer is a duplicate for Tencent's retry. (An AbortSignal handed to the SDK would add
 * listeners to every request for a case the timeouts already end.)
 */
export const withDeadline = async <T>(deadlineMs: number, work: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(deadlineMs)), deadlineMs);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
};
