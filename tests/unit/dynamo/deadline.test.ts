import { describe, expect, it, vi } from 'vitest';
import { DeadlineExceededError, withDeadline } from '../../../lib/dynamo/deadline.js';

describe('withDeadline', () => {
  it('settles with the work when it finishes in time, and leaves no timer behind', async () => {
    vi.useFakeTimers();
    try {
      await expect(withDeadline(1_000, Promise.resolve('stored'))).resolves.toBe('stored');
      await expect(withDeadline(1_000, Promise.reject(new Error('refused')))).rejects.toThrow('refused');
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects at the deadline while the work is still pending', async () => {
    vi.useFakeTimers();
    try {
      const settled = vi.fn();
      const outcome = withDeadline(1_000, new Promise(() => {})).catch((error: unknown) => error);
      void outcome.then(settled);
      await vi.advanceTimersByTimeAsync(999);
      expect(settled).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      const error = await outcome;
      expect(error).toBeInstanceOf(DeadlineExceededError);
      expect((error as DeadlineExceededError).deadlineMs).toBe(1_000);
    } finally {
      vi.useRealTimers();
    }
  });
});
