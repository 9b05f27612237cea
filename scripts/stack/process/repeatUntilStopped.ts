/**
 * Runs `pass` again and again in the background until stopped: each pass starts `minPauseMs` after the previous one
 * ended, or 20 times its duration when that is longer (a big local table), so a sweep never takes over the machine.
 * A pass that throws is reported by `onError` and the next one runs as usual. `stop` wakes the pause and resolves
 * once the current pass has ended.
 */
export const repeatUntilStopped = (
  pass: (isRunning: () => boolean) => Promise<void>,
  { minPauseMs, onError }: { minPauseMs: number; onError: (error: unknown) => void },
): { stop(): Promise<void> } => {
  let running = true;
  let wake: () => void = () => {};
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      try {
        await pass(() => running);
      } catch (error) {
        onError(error);
      }
      const pause = Math.max(minPauseMs, 20 * (Date.now() - started));
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, pause).unref();
      });
    }
  })();
  return {
    async stop() {
      running = false;
      wake();
      await loop;
    },
  };
};
