import type { EventPattern } from './eventPattern.js';

/** An HTTP endpoint a rule delivers to, as an API destination with its connection's auth header. */
export interface HttpTarget {
  url: string;
  /** Extra headers on every delivery, e.g. the connection's `authorization`. */
  headers?: Record<string, string>;
}

/** A rule on the local bus: every event its pattern matches is POSTed to each of its targets. */
export interface EventRule {
  name: string;
  pattern: EventPattern;
  targets: HttpTarget[];
}
