/** Waits a random time from 0 to `ceilingMs`, so that callers that failed together try again apart. */
export const waitUpTo = (ceilingMs: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * ceilingMs));
