import { delayUntilAborted } from './delayUntilAborted.js';
import type { EventEnvelope } from './eventEnvelope.js';
import type { HttpTarget } from './eventRule.js';

/** How the local bus retries a delivery; small defaults so a failing target is dead-lettered within a test. */
export interface DeliveryPolicy {
  /** Attempts in all, the first included. Default 4. */
  maxAttempts: number;
  /** The wait before the first retry, doubled before each next one. Default 100 ms. */
  firstRetryDelayMs: number;
  /** No wait longer than this. Default 2 s. */
  maxRetryDelayMs: number;
  /** An attempt's answer must start within this, as API destinations allow 5 s. Default 5 s. */
  attemptTimeoutMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 4,
  firstRetryDelayMs: 100,
  maxRetryDelayMs: 2_000,
  attemptTimeoutMs: 5_000,
};

/** A delivery given up on: what the bus lists at GET /local/dead-letters. */
export interface DeadLetter {
  event: EventEnvelope;
  rule: string;
  targetUrl: string;
  attempts: number;
  /** The last attempt's failure: `HTTP 500`, or the network error. */
  reason: string;
  at: string;
}

/** As API destinations: a network error, a timeout, 429 or any 5xx is retried; any other answer is final. */
const isRetryable = (status: number): boolean => status === 429 || status >= 500;

type AttemptResult = { delivered: true } | { delivered: false; retryable: boolean; reason: string };

const attempt = async (
  event: EventEnvelope,
  target: HttpTarget,
  policy: DeliveryPolicy,
  stopped: AbortSignal,
): Promise<AttemptResult> => {
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { ...target.headers, 'content-type': 'application/json' },
      body: JSON.stringify(event),
      signal: AbortSignal.any([stopped, AbortSignal.timeout(policy.attemptTimeoutMs)]),
    });
    await response.body?.cancel();
    if (response.ok) return { delivered: true };
    return { delivered: false, retryable: isRetryable(response.status), reason: `HTTP ${response.status}` };
  } catch (error) {
    return { delivered: false, retryable: true, reason: (error as Error).message };
  }
};

/**
 * POSTs one event to one target until it is accepted (a 2xx), a final answer comes, the attempts run out, or the
 * bus stops. Resolves to undefined when delivered (or stopped), else to what went wrong.
 */
export const deliverToTarget = async (
  event: EventEnvelope,
  target: HttpTarget,
  policy: DeliveryPolicy,
  stopped: AbortSignal,
): Promise<{ attempts: number; reason: string } | undefined> => {
  for (let attempts = 1; ; attempts += 1) {
    const result = await attempt(event, target, policy, stopped);
    if (result.delivered || stopped.aborted) return undefined;
    if (!result.retryable || attempts >= policy.maxAttempts) return { attempts, reason: result.reason };
    const delay = Math.min(policy.firstRetryDelayMs * 2 ** (attempts - 1), policy.maxRetryDelayMs);
    await delayUntilAborted(delay, stopped);
    if (stopped.aborted) return undefined;
  }
};
