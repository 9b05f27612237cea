/** How many items one call takes, and how large they may be together. */
export interface BatchLimits<T> {
  maxItems: number;
  sizeOf: (item: T) => number;
  /** Whether items of this total size fit one call. */
  fits: (totalBytes: number) => boolean;
}

/**
 * Consecutive items in as few calls as the limits allow, in order. An item too large to share a call gets one of its
 * own (the service then refuses that call alone, not its neighbours).
 */
export const batchesOf = <T>(items: readonly T[], { maxItems, sizeOf, fits }: BatchLimits<T>): T[][] => {
  const batches: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const bytes = sizeOf(item);
    if (current.length === maxItems || (current.length > 0 && !fits(currentBytes + bytes))) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};
