/**
 * Probe: the webhook's own work per request (verification with a real Sign, routing, validation, the log line)
 * with the store stubbed out, so nothing but our code is timed. Built from lib/ with the function's settings.
 */
import { type EventStore, RecordResult } from '../../lib/eventStore/types.js';
import { readWebhookConfig } from '../../lib/config.js';
import { createWebhookHandler } from '../../lib/webhook/handler.js';
import { distinctWebhookEvents } from './distinctWebhookEvents.js';
import { assertAccepted, lambdaContext } from './lambdaHandlerModule.js';
import { runProbe } from './probeChannel.js';

export interface HandlerOverheadInput {
  runId: string;
  timeoutMs: number;
  warmupInvocations: number;
  batches: number;
  invocationsPerBatch: number;
}

export interface HandlerOverheadReport {
  /** Mean time per invocation of each batch, in µs. */
  batchMeansUs: number[];
}

const acceptingStore: EventStore = { recordEvent: async () => RecordResult.Recorded };

runProbe<HandlerOverheadInput, HandlerOverheadReport>(async (input) => {
  const handler = createWebhookHandler({ config: readWebhookConfig(), store: acceptingStore });
  const nextEvent = distinctWebhookEvents({
    sdkAppId: process.env.SDK_APP_ID ?? '',
    callbackToken: process.env.CALLBACK_TOKEN || undefined,
    runId: input.runId,
  });
  const context = lambdaContext(process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench', input.runId, input.timeoutMs);

  for (let invocation = 0; invocation < input.warmupInvocations; invocation += 1) {
    assertAccepted(await handler(nextEvent(), context));
  }
  const batchMeansUs: number[] = [];
  for (let batch = 0; batch < input.batches; batch += 1) {
    const events = Array.from({ length: input.invocationsPerBatch }, () => nextEvent());
    const responses: unknown[] = [];
    const started = performance.now();
    for (const event of events) responses.push(await handler(event, context));
    batchMeansUs.push(((performance.now() - started) * 1000) / input.invocationsPerBatch);
    responses.forEach(assertAccepted);
  }
  return { batchMeansUs };
});
