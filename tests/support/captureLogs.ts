import { vi } from 'vitest';

export interface CapturedLogs {
  /** Every line written to the console while capturing, in order. */
  lines: string[];
  /** The lines that are JSON objects, parsed. */
  entries(): Record<string, unknown>[];
  restore(): void;
}

/**
 * Captures what the process writes to stdout and stderr, and through `console`, at LOG_LEVEL=DEBUG (tests
 * run silent otherwise); call restore() in a finally.
 */
export const captureLogs = (): CapturedLogs => {
  const lines: string[] = [];
  const capture = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  const captureWrite = (chunk: unknown): boolean => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line !== ''),
    );
    return true;
  };
  const spies = [
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(capture),
    ),
    vi.spyOn(process.stdout, 'write').mockImplementation(captureWrite),
    vi.spyOn(process.stderr, 'write').mockImplementation(captureWrite),
  ];
  vi.stubEnv('LOG_LEVEL', 'DEBUG');
  return {
    lines,
    entries: () =>
      lines.flatMap((line) => {
        try {
          const parsed: unknown = JSON.parse(line);
          return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      }),
    restore() {
      vi.unstubAllEnvs();
      for (const spy of spies) spy.mockRestore();
    },
  };
};
