/**
 * JSON log lines shaped like Powertools Logger's (level, message, timestamp, service, cold_start,
 * function_request_id, xray_trace_id), so the same CloudWatch Logs Insights queries work. Written by hand
 * because Powertools Logger costs more bundle and cold start than these few fields are worth (the
 * benchmark's README has the numbers). Like Powertools, it writes to the process's streams, not through
 * `console`, which the Lambda runtime wraps, so the line stays plain JSON.
 */
export const LogLevel = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3, SILENT: 4 } as const;
export type LogLevelName = Exclude<keyof typeof LogLevel, 'SILENT'>;

const SERVICE = 'tencent-chat-webhooks';

/** LOG_LEVEL (or Powertools' POWERTOOLS_LOG_LEVEL), case-insensitive; default INFO. */
const threshold = (env: NodeJS.ProcessEnv): number => {
  const name = (env.LOG_LEVEL ?? env.POWERTOOLS_LOG_LEVEL ?? 'INFO').toUpperCase();
  return LogLevel[name as keyof typeof LogLevel] ?? LogLevel.INFO;
};

let coldStart = true;

export interface LogContext {
  requestId?: string | undefined;
}

export const writeLog = (
  level: LogLevelName,
  message: string,
  fields: Record<string, unknown>,
  context: LogContext = {},
  env: NodeJS.ProcessEnv = process.env,
): void => {
  const wasColdStart = coldStart;
  coldStart = false;
  if (LogLevel[level] < threshold(env)) return;
  const line = JSON.stringify({
    level,
    message,
    timestamp: new Date().toISOString(),
    service: env.POWERTOOLS_SERVICE_NAME ?? SERVICE,
    cold_start: wasColdStart,
    ...(context.requestId === undefined ? {} : { function_request_id: context.requestId }),
    ...(env._X_AMZN_TRACE_ID === undefined ? {} : { xray_trace_id: env._X_AMZN_TRACE_ID }),
    ...fields,
  });
  (level === 'ERROR' ? process.stderr : process.stdout).write(`${line}\n`);
};

/** An error and its cause in one line, for a log field: never a stack, never a request's secrets. */
export const describeError = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `; cause ${error.cause.name}: ${error.cause.message}` : '';
  return `${error.name}: ${error.message}${cause}`;
};
