import { writeLog } from './structuredLog.js';

/** One JSON line per state update that failed, or per stream batch, in the webhook's log format. */
export const logGroupState = ({ level, ...fields }: Record<string, unknown> & { level: 'INFO' | 'ERROR' }): void =>
  writeLog(level, 'groupState', fields);

export const describeError = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `; cause ${error.cause.name}: ${error.cause.message}` : '';
  return `${error.name}: ${error.message}${cause}`;
};
