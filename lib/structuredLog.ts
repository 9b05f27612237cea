/**
 * JSON log lines shaped like Powertools Logger's (level, message, timestamp, service, cold_start,
 * function_request_id, xray_trace_id), so the same CloudWatch Logs Insights queries work. Written by hand:
 * Powertools Logger 2.35.0 would add 24 KB to the bundle and about 5 ms to a cold start for these few fields
 * (measured; see the README's "Logs"). Like Powertools, it writes to the process's streams, not through
 * `console`, which the Lambda runtime wraps: the line stays plain JSON and costs about half as much.
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
