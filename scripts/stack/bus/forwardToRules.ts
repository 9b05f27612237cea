import { DEFAULT_EVENT_SOURCE } from '../../../lib/fanOut/publishedEvent.js';
import type { EventRule } from './eventRule.js';

/** FORWARD_TO holds something that is not a list of http(s) URLs; its message is the one line to print. */
export class ForwardToError extends Error {
  constructor(value: string) {
    super(`FORWARD_TO: "${value}" is not an http:// or https:// URL (FORWARD_TO takes comma-separated URLs).`);
    this.name = 'ForwardToError';
  }
}

/** The `source` the local stack publishes with: EVENT_SOURCE, else the deployed stages' default. */
export const eventSourceFrom = (env: NodeJS.ProcessEnv = process.env): string =>
  env.EVENT_SOURCE?.trim() || DEFAULT_EVENT_SOURCE;

const httpUrl = (value: string): string => {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {}
  throw new ForwardToError(value);
};

/**
 * The local bus's rules for FORWARD_TO (comma-separated URLs): one per URL, taking every event of `source`, the
 * pattern a deployed stage's `forwardTo` entry has when it names no command.
 */
export const rulesFromForwardTo = (forwardTo: string | undefined, source: string): EventRule[] =>
  (forwardTo ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '')
    .map((value, index) => ({
      name: `forward-to-${index + 1}`,
      pattern: { source: [source] },
      targets: [{ url: httpUrl(value) }],
    }));
