import type { TimeRange } from './recordedEvents.js';

export type RepublishRequest =
  | {
      queue: false;
      all: boolean;
      groupIds: string[];
      range: TimeRange;
      stage: string | undefined;
    }
  | { queue: true; stage: string | undefined; queueUrl: string | undefined }
  | { usage: string };

const USAGE =
  'usage: npm run republish -- <groupId>... | --all  [--from <time>] [--to <time>]  [--stage <name>]\n' +
  '       npm run republish -- --queue  [--stage <name> --queue-url <url>]\n' +
  '       (a time: ISO 8601, e.g. 2026-12-03T08:00:00Z, or epoch milliseconds)';

/** An ISO 8601 time or epoch milliseconds; undefined when it is neither. */
export const parseTime = (text: string): number | undefined => {
  const time = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isSafeInteger(time) && time >= 0 ? time : undefined;
};

const FLAGS_WITH_VALUES = ['--from', '--to', '--stage', '--queue-url'] as const;

export const parseRepublishArgs = (args: readonly string[]): RepublishRequest => {
  const values = new Map<string, string>();
  const rest: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if ((FLAGS_WITH_VALUES as readonly string[]).includes(arg)) {
      const value = args[index + 1];
      if (value === undefined || value.startsWith('--')) return { usage: USAGE };
      values.set(arg, value);
      index += 1;
    } else rest.push(arg);
  }
  const stage = values.get('--stage');
  if (rest.includes('--queue')) {
    if (rest.length > 1 || values.has('--from') || values.has('--to')) return { usage: USAGE };
    return { queue: true, stage, queueUrl: values.get('--queue-url') };
  }
  const all = rest.includes('--all');
  const groupIds = rest.filter((arg) => arg !== '--all');
  if (all === groupIds.length > 0 || groupIds.some((id) => id.startsWith('--')) || values.has('--queue-url'))
    return { usage: USAGE };
  const from = values.has('--from') ? parseTime(values.get('--from') as string) : undefined;
  const to = values.has('--to') ? parseTime(values.get('--to') as string) : undefined;
  if ((values.has('--from') && from === undefined) || (values.has('--to') && to === undefined)) return { usage: USAGE };
  return { queue: false, all, groupIds, range: { from, to }, stage };
};
