/** One JSON line per state update that failed, or per stream batch; muted by LOG_LEVEL=silent like the webhook's. */
export const logGroupState = (entry: Record<string, unknown> & { level: 'INFO' | 'ERROR' }): void => {
  if (process.env.LOG_LEVEL === 'silent') return;
  const line = JSON.stringify({ message: 'groupState', ...entry });
  if (entry.level === 'ERROR') console.error(line);
  else console.log(line);
};

export const describeError = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `; cause ${error.cause.name}: ${error.cause.message}` : '';
  return `${error.name}: ${error.message}${cause}`;
};
