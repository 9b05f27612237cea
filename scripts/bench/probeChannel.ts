import { writeSync } from 'node:fs';

/** File descriptor 3: the probe's report travels apart from stdout, which belongs to the function's logs. */
export const PROBE_REPORT_FD = 3;

/**
 * The body of a probe process: reads its input (JSON in argv[2]), runs, writes its report (JSON) on fd 3
 * and exits, so the DynamoDB client's idle sockets do not keep it alive.
 */
export const runProbe = <Input, Report>(measure: (input: Input) => Promise<Report>): void => {
  const input = JSON.parse(process.argv[2] ?? '{}') as Input;
  measure(input).then(
    (report) => {
      writeSync(PROBE_REPORT_FD, JSON.stringify(report));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
};
