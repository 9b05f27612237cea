import type { EventRule } from './eventRule.js';
import { rulesFromForwardTo } from './forwardToRules.js';
import type { DeliveryPolicy } from './httpTargetDelivery.js';
import { type LocalEventBus, startLocalEventBus } from './localEventBus.js';
import { type LocalQueue, startLocalQueue } from './localQueue.js';

/** The local queue of what the publisher could not put on the bus. */
export const UNPUBLISHED_QUEUE_NAME = 'unpublished-events';

export interface LocalFanOutOptions {
  /** The folder of the queue's file (npm start's data folder). */
  dataDir: string;
  /** Default: a free port. */
  busPort?: number;
  /** Default: a free port. */
  queuePort?: number;
  /** FORWARD_TO as set: comma-separated URLs, each receiving every event of `source`. */
  forwardTo?: string;
  /** The published events' `source` (EVENT_SOURCE, else DEFAULT_EVENT_SOURCE: `eventSourceFrom()`). */
  source: string;
  region: string;
  /** Rules beside FORWARD_TO's (tests, a future command filter). */
  rules?: EventRule[];
  delivery?: Partial<DeliveryPolicy>;
}

export interface LocalFanOut {
  bus: LocalEventBus;
  queue: LocalQueue;
  /** For the publisher's AWS_ENDPOINT_URL_EVENTBRIDGE, and running-stack.json's `eventBusEndpoint`. */
  eventBusEndpoint: string;
  /** For AWS_ENDPOINT_URL_SQS (the queue's origin). */
  queueEndpoint: string;
  /** The queue's URL for the publisher, and running-stack.json's `unpublishedQueueUrl`. */
  unpublishedQueueUrl: string;
  /** The settings to hand the functions and the poller that publish. */
  environment: { AWS_ENDPOINT_URL_EVENTBRIDGE: string; AWS_ENDPOINT_URL_SQS: string };
  stop(): Promise<void>;
}

/**
 * What npm start runs for fan-out: the local EventBridge bus with FORWARD_TO's rules, and the queue the publisher
 * sends what it could not publish to. Throws ForwardToError (one line naming FORWARD_TO) before starting anything.
 */
export const startLocalFanOut = async (options: LocalFanOutOptions): Promise<LocalFanOut> => {
  const rules = [...rulesFromForwardTo(options.forwardTo, options.source), ...(options.rules ?? [])];
  const queue = await startLocalQueue({
    port: options.queuePort,
    queueName: UNPUBLISHED_QUEUE_NAME,
    dataDir: options.dataDir,
  });
  const bus = await startLocalEventBus({
    port: options.busPort,
    region: options.region,
    rules,
    delivery: options.delivery,
  }).catch(async (error: unknown) => {
    await queue.stop();
    throw error;
  });
  return {
    bus,
    queue,
    eventBusEndpoint: bus.endpoint,
    queueEndpoint: queue.endpoint,
    unpublishedQueueUrl: queue.queueUrl,
    environment: { AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint, AWS_ENDPOINT_URL_SQS: queue.endpoint },
    stop: async () => {
      await Promise.all([bus.stop(), queue.stop()]);
    },
  };
};
