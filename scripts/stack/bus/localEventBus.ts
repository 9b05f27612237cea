import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsJsonError, answerAwsJsonRequest } from './awsJsonProtocol.js';
import { type EventEnvelope, eventEnvelopeOf } from './eventEnvelope.js';
import { EventFeed } from './eventFeed.js';
import { checkEventPattern, matchesEventPattern } from './eventPattern.js';
import type { EventRule } from './eventRule.js';
import {
  DEFAULT_DELIVERY_POLICY,
  type DeadLetter,
  type DeliveryPolicy,
  deliverToTarget,
} from './httpTargetDelivery.js';
import {
  checkPutEventsEntry,
  MAX_ENTRIES_PER_PUT_EVENTS,
  PUT_EVENTS_SIZE_LIMIT_BYTES,
  type PutEventsRequestEntry,
  putEventsEntrySize,
} from './putEventsEntry.js';
import { PutEventsFaults } from './putEventsFaults.js';

export interface LocalEventBusOptions {
  /** Default 0: a free port. */
  port?: number;
  region: string;
  rules?: EventRule[];
  delivery?: Partial<DeliveryPolicy>;
  /** Where a dead-lettered delivery's one line goes: stderr unless told. */
  warn?: (line: string) => void;
}

export interface LocalEventBus {
  /** For `new EventBridgeClient({ endpoint })` and AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Every accepted event, in order (also streamed at GET /local/events). */
  feed: EventFeed<EventEnvelope>;
  /** Deliveries given up on, in order (also at GET /local/dead-letters). */
  deadLetters: readonly DeadLetter[];
  /** For tests only: failures to inject into the next PutEvents calls. */
  faults: PutEventsFaults;
  /** Resolves once every delivery under way has ended (delivered or dead-lettered). */
  deliveriesSettled(): Promise<void>;
  /** Stops listening, ends the feeds' streams and drops the deliveries under way. */
  stop(): Promise<void>;
}

const validationError = (message: string) => new AwsJsonError('ValidationException', message);

const entriesOf = (input: Record<string, unknown>): PutEventsRequestEntry[] => {
  const entries = input.Entries;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES_PER_PUT_EVENTS)
    throw validationError(
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ` +
        `between 1 and ${MAX_ENTRIES_PER_PUT_EVENTS}`,
    );
  const size = entries.reduce((total: number, entry: PutEventsRequestEntry) => total + putEventsEntrySize(entry), 0);
  if (size > PUT_EVENTS_SIZE_LIMIT_BYTES)
    throw validationError('Total size of the entries in the request is over the limit.');
  return entries as PutEventsRequestEntry[];
};

const streamFeed = (feed: EventFeed<EventEnvelope>, request: IncomingMessage, response: ServerResponse): void => {
  response.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache' });
  response.flushHeaders();
  const unfollow = feed.follow((event) => response.write(`${JSON.stringify(event)}\n`));
  request.socket.setKeepAlive(true);
  response.on('close', unfollow);
};

/**
 * A local EventBridge bus: PutEvents over EventBridge's own wire protocol (AWS JSON 1.1), so an unmodified
 * EventBridgeClient publishes to it; each accepted event goes to every rule it matches, whose HTTP targets receive it
 * in EventBridge's envelope, with retries and dead letters as API destinations have.
 */
export const startLocalEventBus = async (options: LocalEventBusOptions): Promise<LocalEventBus> => {
  const rules = (options.rules ?? []).map((rule) => ({ ...rule, pattern: checkEventPattern(rule.pattern) }));
  const policy: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, ...options.delivery };
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const feed = new EventFeed<EventEnvelope>();
  const deadLetters: DeadLetter[] = [];
  const faults = new PutEventsFaults();
  const stopping = new AbortController();
  const deliveries = new Set<Promise<void>>();

  const deliver = (event: EventEnvelope, rule: EventRule): void => {
    for (const target of rule.targets) {
      const delivery = deliverToTarget(event, target, policy, stopping.signal).then((failure) => {
        if (!failure) return;
        deadLetters.push({ event, rule: rule.name, targetUrl: target.url, ...failure, at: new Date().toISOString() });
        warn(
          `Local event bus: gave up delivering event ${event.id} (${event['detail-type']}) to ${target.url} after ` +
            `${failure.attempts} attempt(s): ${failure.reason}. It is listed at /local/dead-letters.`,
        );
      });
      deliveries.add(delivery);
      void delivery.finally(() => deliveries.delete(delivery));
    }
  };

  const putEvents = (input: Record<string, unknown>) => {
    faults.throwIfCallFails();
    const results = entriesOf(input).map((entry) => {
      if (faults.entryFails(entry)) return { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Service Failure' };
      const checked = checkPutEventsEntry(entry);
      if (!checked.accepted) return { ErrorCode: checked.errorCode, ErrorMessage: checked.errorMessage };
      const event = eventEnvelopeOf(checked.entry, { region: options.region });
      feed.append(event);
      for (const rule of rules) if (matchesEventPattern(event, rule.pattern)) deliver(event, rule);
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  };

  const service = {
    targetPrefix: 'AWSEvents',
    version: '1.1' as const,
    maxRequestBytes: 4 * PUT_EVENTS_SIZE_LIMIT_BYTES,
    operations: { PutEvents: putEvents },
  };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method === 'GET' && path === '/local/events') return streamFeed(feed, request, response);
    if (request.method === 'GET' && path === '/local/dead-letters') {
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(JSON.stringify(deadLetters));
    }
    void answerAwsJsonRequest(service, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });

  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    feed,
    deadLetters,
    faults,
    deliveriesSettled: async () => {
      while (deliveries.size > 0) await Promise.allSettled([...deliveries]);
    },
    stop: async () => {
      stopping.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.allSettled([...deliveries]);
      await closed;
    },
  };
};
