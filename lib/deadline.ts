/** Work that did not finish in its time budget. */
export class DeadlineExceededError extends Error {
  public constructor(public readonly deadlineMs: number) {
    super(`did not finish within ${deadlineMs} ms`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Runs `work` with a hard time budget: at the deadline its signal is aborted and the result rejects,
 * whether or not the work honours the signal (an SDK retry may be asleep in a back-off delay).
 */
export const withDeadline = async <T>(deadlineMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceededError(deadlineMs);
      controller.abort(error);
      reject(error);
    }, deadlineMs);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
};
