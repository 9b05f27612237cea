import type { ReplayRecord } from '../lib/replayRecord.js';
import { replayRecordInLine } from './replayLog.js';

/** `aws logs filter-log-events` / `get-log-events --output json`: one JSON document with an `events` array. */
const awsCliEvents = (text: string): unknown[] | undefined => {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const document = JSON.parse(text) as { events?: unknown };
    return Array.isArray(document.events) ? document.events : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The replay records in one log file's text: the AWS CLI's JSON output, or any line-per-event format
 * `replayRecordInLine` reads (the function's lines, CloudWatch's, exported events one per line).
 */
export const replayRecordsInText = (text: string): ReplayRecord[] => {
  const events = awsCliEvents(text);
  const lines = events
    ? events.map((event) => String((event as { message?: unknown } | null)?.message ?? ''))
    : text.split('\n');
  return lines.map(replayRecordInLine).filter((record) => record !== undefined);
};
